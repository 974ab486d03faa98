# Headless Chromium: the oracle that merged HTML releases parse in a browser as the source does.
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || apt_install chromium
