/* RFC 4648 base64 with padding. */
#include "base64.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
base64_put(struct obuf *ob, const void *data, size_t n)
{
	const unsigned char *p = data;
	char *o = ob_reserve(ob, (n + 2) / 3 * 4);
	size_t i, k = 0;
	unsigned v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		o[k++] = b64[v >> 18];
		o[k++] = b64[v >> 12 & 63];
		o[k++] = b64[v >> 6 & 63];
		o[k++] = b64[v & 63];
	}
	if (i < n) {
		v = (unsigned)p[i] << 16 |
		    (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);
		o[k++] = b64[v >> 18];
		o[k++] = b64[v >> 12 & 63];
		o[k++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		o[k++] = '=';
	}
	ob->len += k;
}

static int
val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode n characters into d (room for n / 4 * 3); -1 if malformed. */
long
base64_decode(char *d, const char *s, size_t n)
{
	size_t i, o = 0, pad = 0;
	int a, b, c, e;

	if (n % 4 != 0)
		return -1;
	if (n > 0 && s[n - 1] == '=')
		pad = n > 1 && s[n - 2] == '=' ? 2 : 1;
	for (i = 0; i < n; i += 4) {
		int last = i + 4 == n;
		a = val(s[i]);
		b = val(s[i + 1]);
		c = last && pad == 2 ? 0 : val(s[i + 2]);
		e = last && pad >= 1 ? 0 : val(s[i + 3]);
		if (a < 0 || b < 0 || c < 0 || e < 0)
			return -1;
		d[o++] = (char)(a << 2 | b >> 4);
		if (!(last && pad == 2))
			d[o++] = (char)((b & 15) << 4 | c >> 2);
		if (!(last && pad >= 1))
			d[o++] = (char)((c & 3) << 6 | e);
	}
	return (long)o;
}
