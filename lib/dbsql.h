/* The schema's tables as SQL text, for lib/dbschema.c and lib/dbmigrate.c. */
#ifndef LB_DBSQL_H
#define LB_DBSQL_H

/*
 * Version 2 keys hourly rows and archives by the archive's sources line
 * too, so that several hosts' archives of a date live side by side;
 * archive_sources has each archive's events and digest per src label
 * (lib/dbrow.h), which also says which labels a sources line names.
 */
#define HOURLY_SQL                                                             \
	"CREATE TABLE hourly (\n"                                              \
	"	hour TEXT NOT NULL,\n"                                               \
	"	sources TEXT NOT NULL,\n"                                            \
	"	method TEXT,\n"                                                      \
	"	path TEXT,\n"                                                        \
	"	requests INTEGER,\n"                                                 \
	"	bytes INTEGER,\n"                                                    \
	"	bytes_null INTEGER,\n"                                               \
	"	uniq_ips INTEGER,\n"                                                 \
	"	s1xx INTEGER,\n"                                                     \
	"	s2xx INTEGER,\n"                                                     \
	"	s3xx INTEGER,\n"                                                     \
	"	s4xx INTEGER,\n"                                                     \
	"	s5xx INTEGER,\n"                                                     \
	"	rt_p50 REAL,\n"                                                      \
	"	rt_p95 REAL,\n"                                                      \
	"	rt_p99 REAL,\n"                                                      \
	"	rt_max REAL,\n"                                                      \
	"	first TEXT,\n"                                                       \
	"	last TEXT,\n"                                                        \
	"	PRIMARY KEY (hour, sources, method, path)\n"                         \
	");\n"
#define ARCHIVES_SQL                                                           \
	"CREATE TABLE archives (\n"                                            \
	"	path TEXT NOT NULL,\n"                                               \
	"	date TEXT NOT NULL,\n"                                               \
	"	sources TEXT NOT NULL,\n"                                            \
	"	events INTEGER NOT NULL,\n"                                          \
	"	hourly_rows INTEGER NOT NULL,\n"                                     \
	"	sha256 TEXT NOT NULL,\n"                                             \
	"	added INTEGER NOT NULL,\n"                                           \
	"	restored_at TEXT NOT NULL,\n"                                        \
	"	UNIQUE (date, sources, sha256)\n"                                    \
	");\n"
#define ASRC_SQL                                                               \
	"CREATE TABLE archive_sources (\n"                                     \
	"	date TEXT NOT NULL,\n"                                               \
	"	sources TEXT NOT NULL,\n"                                            \
	"	sha256 TEXT NOT NULL,\n"                                             \
	"	src TEXT,\n"                                                         \
	"	events INTEGER,\n"                                                   \
	"	digest TEXT\n"                                                       \
	");\n"                                                                 \
	"CREATE INDEX archive_sources_line ON archive_sources "                \
	"(sources, src);\n"                                                    \
	"CREATE INDEX archive_sources_date ON archive_sources (date, src);\n"
#define EVENTS_TS_SQL "CREATE INDEX events_ts ON events (ts, src);\n"

#endif
