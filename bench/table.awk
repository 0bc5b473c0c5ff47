# Put before each stage's END program (bench/*.sh): helpers for its table,
# and the rule that reads measure's "NAME SECONDS CPU" lines (a NAME may
# hold spaces) into t[NAME], cpu[NAME] and order[1..n].
function commas(x,    s, o) {
	s = sprintf("%d", x)
	o = ""
	while (length(s) > 3) {
		o = "," substr(s, length(s) - 2) o
		s = substr(s, 1, length(s) - 3)
	}
	return s o
}
function verdict(ok) {
	return ok ? "met" : "MISSED"
}
function row(name, got, want) {
	printf "%-44s %-20s %s\n", name, got, got == want ? "ok" : "WRONG"
}
{
	name = $1
	for (i = 2; i < NF - 1; i++)
		name = name " " $i
	t[name] = $(NF - 1)
	cpu[name] = $NF
	order[++n] = name
}
