#!/usr/bin/env python3
"""flip-proxy.py UPSTREAM_PORT PATTERN: an HTTP proxy on 127.0.0.1 in
front of a real server (rclone serve webdav) that inverts one byte of
every GET response whose path matches PATTERN (a regular expression),
as storage that rots or a network that corrupts would.  Prints its port,
then serves until killed.  One request per connection: it asks both
ends for Connection: close, so it never has to find where a response
ends."""
import re
import socket
import sys
import threading

FLIP_AT = 64  # into the body: past a chunk-size line, inside the gzip data


def headers(sock):
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return None, buf
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    return head.split(b"\r\n"), rest


def closing(lines):
    kept = [l for l in lines if not l.lower().startswith(b"connection:")]
    return b"\r\n".join(kept + [b"Connection: close"]) + b"\r\n\r\n"


def pump(src, dst):
    try:
        while True:
            chunk = src.recv(65536)
            if not chunk:
                break
            dst.sendall(chunk)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def serve(client, port, pattern):
    up = socket.create_connection(("127.0.0.1", port))
    lines, rest = headers(client)
    if lines is None:
        client.close()
        up.close()
        return
    method, path = lines[0].split(b" ")[:2]
    flip = method == b"GET" and pattern.search(path.decode("latin-1"))
    up.sendall(closing(lines) + rest)
    threading.Thread(target=pump, args=(client, up), daemon=True).start()
    lines, body = headers(up)
    if lines is None:
        client.close()
        return
    client.sendall(closing(lines))
    while flip and len(body) <= FLIP_AT:
        chunk = up.recv(65536)
        if not chunk:
            break
        body += chunk
    if flip and len(body) > FLIP_AT:
        body = body[:FLIP_AT] + bytes([body[FLIP_AT] ^ 0xFF]) + body[FLIP_AT + 1:]
    client.sendall(body)
    pump(up, client)
    client.close()
    up.close()


def main():
    port, pattern = int(sys.argv[1]), re.compile(sys.argv[2])
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    print(ls.getsockname()[1], flush=True)
    while True:
        c, _ = ls.accept()
        threading.Thread(target=serve, args=(c, port, pattern), daemon=True).start()


if __name__ == "__main__":
    main()
