# The peer cases of ../shared/vectors, compared field by field.
. "$TOP/tests/lib.sh"
[ -f "$SHARED/vectors/access-log-cases.jsonl" ] ||
	{ skip "vectors: $SHARED/vectors is missing"; exit 0; }
TOP=$TOP python3 "$TOP/tests/vectors/compare.py"
