# The OASIS XLIFF schemas the tests validate every written XLIFF against (read offline).
export TM_SCHEMAS="${TM_SCHEMAS:-$TM_SHARED/schemas}"
[ -f "$TM_SCHEMAS/xliff-core-1.2-strict.xsd" ] || echo "ci: no XLIFF schemas in $TM_SCHEMAS; the XLIFF tests will fail" >&2
