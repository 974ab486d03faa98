# GNU gettext: msgfmt, msgcat, msgmerge, msgattrib are the oracles for every PO we write.
command -v msgfmt >/dev/null || apt_install gettext
