/* The schema migrations; see schema.h and docs/SCHEMA.md. */
#include "store/schema.h"

static const char *const migrations[] = {
	/* 1: advisories with revisions, KEV, EPSS, hosts, findings, scans. */
	"CREATE TABLE advisory ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  current_rev INTEGER REFERENCES advisory_rev(id)"
	");"
	"CREATE TABLE advisory_rev ("
	"  id INTEGER PRIMARY KEY,"
	"  advisory_id INTEGER NOT NULL REFERENCES advisory(id),"
	"  modified TEXT NOT NULL,"
	"  published TEXT,"
	"  withdrawn TEXT,"
	"  summary TEXT,"
	"  content_hash TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  imported_at TEXT NOT NULL,"
	"  record TEXT NOT NULL,"
	"  UNIQUE (advisory_id, content_hash)"
	");"
	"CREATE INDEX advisory_current ON advisory(current_rev);"
	"CREATE TABLE advisory_alias ("
	"  advisory_id INTEGER NOT NULL REFERENCES advisory(id),"
	"  alias TEXT NOT NULL,"
	"  PRIMARY KEY (advisory_id, alias)"
	") WITHOUT ROWID;"
	"CREATE INDEX advisory_alias_alias ON advisory_alias(alias);"
	"CREATE TABLE affected ("
	"  rev_id INTEGER NOT NULL REFERENCES advisory_rev(id),"
	"  seq INTEGER NOT NULL,"
	"  ecosystem TEXT,"
	"  package TEXT,"
	"  ranges TEXT NOT NULL,"
	"  PRIMARY KEY (rev_id, seq)"
	") WITHOUT ROWID;"
	"CREATE INDEX affected_ecosystem ON affected(ecosystem, package);"
	"CREATE TABLE kev ("
	"  cve TEXT PRIMARY KEY,"
	"  date_added TEXT NOT NULL,"
	"  due_date TEXT NOT NULL,"
	"  vendor TEXT, product TEXT, name TEXT,"
	"  ransomware INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE TABLE epss ("
	"  cve TEXT PRIMARY KEY,"
	"  epss REAL NOT NULL,"
	"  percentile REAL NOT NULL,"
	"  score_date TEXT"
	") WITHOUT ROWID;"
	"CREATE TABLE feed_import ("
	"  id INTEGER PRIMARY KEY,"
	"  time TEXT NOT NULL,"
	"  format TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  new INTEGER NOT NULL, updated INTEGER NOT NULL,"
	"  withdrawn INTEGER NOT NULL, unchanged INTEGER NOT NULL"
	");"
	"CREATE TABLE feed_state ("
	"  url TEXT PRIMARY KEY,"
	"  etag TEXT, last_modified TEXT,"
	"  fetched_at TEXT NOT NULL"
	");"
	"CREATE TABLE host ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  os_id TEXT NOT NULL,"
	"  os_version TEXT NOT NULL,"
	"  ecosystem TEXT NOT NULL,"
	"  arch TEXT,"
	"  kernel TEXT,"
	"  source TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  inventory_gen INTEGER NOT NULL DEFAULT 0,"
	"  scanned_at TEXT,"
	"  scan_key TEXT,"
	"  scan_groups TEXT,"
	"  open_fixable INTEGER NOT NULL DEFAULT 0,"
	"  open_no_fix INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE host_package ("
	"  host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  arch TEXT NOT NULL,"
	"  version TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  source_version TEXT NOT NULL,"
	"  PRIMARY KEY (host_id, name, arch)"
	") WITHOUT ROWID;"
	"CREATE INDEX host_package_source ON host_package(host_id, source, source_version);"
	/* A finding is kept per package as the advisory names it (the source
	 * package for Debian) and its version; its binary packages are joined
	 * in on output. Binaries of one source at two versions (a partial
	 * upgrade) give two open findings. */
	"CREATE TABLE finding ("
	"  id INTEGER PRIMARY KEY,"
	"  host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,"
	"  advisory_id INTEGER NOT NULL REFERENCES advisory(id),"
	"  package TEXT NOT NULL,"
	"  by_source INTEGER NOT NULL,"
	"  version TEXT NOT NULL,"
	"  fixed_version TEXT,"
	"  status TEXT NOT NULL CHECK (status IN ('fixable', 'no-fix-yet')),"
	"  first_seen TEXT NOT NULL,"
	"  resolved_at TEXT"
	");"
	"CREATE UNIQUE INDEX finding_open ON finding(host_id, package, advisory_id, version)"
	"  WHERE resolved_at IS NULL;"
	"CREATE TABLE scan ("
	"  id INTEGER PRIMARY KEY,"
	"  host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,"
	"  time TEXT NOT NULL,"
	"  new INTEGER NOT NULL, still_open INTEGER NOT NULL, resolved INTEGER NOT NULL"
	");",
	/* 2: Windows updates installed on a host (from Vuls scans). */
	"CREATE TABLE host_kb ("
	"  host_id INTEGER NOT NULL REFERENCES host(id) ON DELETE CASCADE,"
	"  kb TEXT NOT NULL,"
	"  PRIMARY KEY (host_id, kb)"
	") WITHOUT ROWID;",
	/* 3: assessment. An advisory's ranking CVSS and rating; a host's
	 * context (NULL: the policy's default); each open finding's SSVC
	 * priority (0 defer .. 3 immediate; NULL until ranked), its due date
	 * and the date its deadline counts from; settings such as the digest
	 * of the policy the stored ranks were computed with. No index on the
	 * ranks: listing sorts anyway (ties go by host and package), and two
	 * more indexes made storing a fleet's first findings five times
	 * slower (make bench). */
	"ALTER TABLE advisory ADD COLUMN cvss REAL;"
	"ALTER TABLE advisory ADD COLUMN cvss_vector TEXT;"
	"ALTER TABLE advisory ADD COLUMN automatable INTEGER;"
	"ALTER TABLE advisory ADD COLUMN rating TEXT;"
	"ALTER TABLE host ADD COLUMN exposure TEXT;"
	"ALTER TABLE host ADD COLUMN criticality TEXT;"
	"ALTER TABLE host ADD COLUMN grp TEXT;"
	"ALTER TABLE host ADD COLUMN ring TEXT;"
	"ALTER TABLE host ADD COLUMN tags TEXT;"
	"ALTER TABLE finding ADD COLUMN priority INTEGER;"
	"ALTER TABLE finding ADD COLUMN due TEXT;"
	"ALTER TABLE finding ADD COLUMN since TEXT;"
	"CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;",
};

size_t schema_migration_count(void)
{
	return sizeof(migrations) / sizeof(migrations[0]);
}

const char *schema_migration(size_t i)
{
	return i < schema_migration_count() ? migrations[i] : "";
}
