# completion/logbook: each command's options as its --help names them,
# and the arguments of the options that have a closed set of values.
. "$TOP/tests/lib.sh"

if ! command -v bash >/dev/null 2>&1; then
	notok "completion: bash is not installed"
	exit 0
fi

# complete WORDS...: what the completion offers for the last word.
complete_words() {
	bash -c '. "$1/completion/logbook"; shift
	    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	    _logbook; printf "%s\n" "${COMPREPLY[@]}"' sh "$TOP" "$@" |
	    sort | tr '\n' ' '
}

# The options --help names: --long ones, and -x ones.
help_options() {
	"$1" --help | grep -oE -- '(^|[][ ,(|])--?[A-Za-z][A-Za-z0-9-]*' |
	    sed 's/^[][ ,(|]*//' | grep -E -- '^(--[a-z]|-[A-Za-z]$)' | sort -u
}

for p in logbook-ingest logbook-aggregate logbook-archive logbook-verify \
    logbook-restore logbook-report logbook-genlog logbook-backup logbook-retention \
    logbook-drill; do
	if ! command -v "$p" >/dev/null 2>&1; then
		ok "completion: $p: not built, skipped # SKIP"
		continue
	fi
	help_options "$p" >"$p.help"
	bash -c '. "$1/completion/logbook"; _logbook_options "$2"' sh "$TOP" \
	    "$p" | tr -s ' \n\t' '\n' | grep . | sort -u >"$p.comp"
	check_eq "completion: $p: every option of --help is offered" \
	    "$(comm -23 "$p.help" "$p.comp" | tr '\n' ' ')" ""
	check_eq "completion: $p: every option offered is in --help" \
	    "$(comm -13 "$p.help" "$p.comp" | tr '\n' ' ')" ""
done

check_eq "completion: ingest -f" "$(complete_words logbook-ingest -f n)" \
    "nginx "
check_eq "completion: ingest --format=" \
    "$(complete_words logbook-ingest --format = com)" \
    "combined combined_extra common "
# The names of lib/logformat.c's table (lb-formats) and no others.
check_eq "completion: ingest -f offers auto and the heads of the table" \
    "$(bash -c '. "$1/completion/logbook"; echo $_logbook_ingest_formats' \
    sh "$TOP")" "auto $(lb-formats -l | tr '\n' ' ' | sed 's/ $//')"
check_eq "completion: restore --emit offers the heads of the table" \
    "$(complete_words logbook-restore --emit '')" \
    "$( (echo original ndjson csv; lb-formats -l) | tr ' ' '\n' | sort |
    tr '\n' ' ')"
check_eq "completion: aggregate --by, a list" \
    "$(complete_words logbook-aggregate --by method,s)" \
    "method,src method,status "
check_eq "completion: aggregate --bucket" \
    "$(complete_words logbook-aggregate --bucket '')" "all day hour "
check_eq "completion: restore --emit" \
    "$(complete_words logbook-restore --emit n)" "ndjson nginx "
check_eq "completion: -o offers the keys" \
    "$(complete_words logbook-retention -o KEEP)" "KEEP_DAYS= KEEP_MONTHS= "
mkdir -p arch/2025
: >a.tar.gz
: >b.txt
check_eq "completion: verify takes archives and folders" \
    "$(complete_words logbook-verify '')" "a.tar.gz arch "
check_eq "completion: backup -d takes a folder" \
    "$(complete_words logbook-backup -d a)" "arch "
