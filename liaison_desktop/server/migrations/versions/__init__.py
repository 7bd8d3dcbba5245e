"""Server schema revisions (a package, so that installs include them)."""
