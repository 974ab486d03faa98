# OmegaT's SRX 2.0 schema and its default segmentation rules, taken out of the Debian
# package (not installed): oracles for our rules files and our SRX reader.
srx_dir="$(mktemp -d)"
on_exit "rm -rf '$srx_dir'"
[ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
(cd "$srx_dir" && apt-get download -qq omegat >/dev/null && dpkg-deb -x omegat_*.deb deb)
python3 - "$srx_dir" <<'PY'
import sys, zipfile
folder = sys.argv[1]
with zipfile.ZipFile(f"{folder}/deb/usr/share/omegat/OmegaT.jar") as jar:
    jar.extract("schemas/srx20.xsd", folder)
    jar.extract("org/omegat/core/segmentation/defaultRules.srx", folder)
PY
export TM_SRX_SCHEMA="$srx_dir/schemas/srx20.xsd"
export TM_OMEGAT_SRX="$srx_dir/org/omegat/core/segmentation/defaultRules.srx"
