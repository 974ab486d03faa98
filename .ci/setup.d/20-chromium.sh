# Headless Chromium: the browser the HTML reports and aligned views are tested in (Playwright
# drives Debian's /usr/bin/chromium; no browser is downloaded at test time), and the oracle that
# merged HTML releases parse in a browser as their source does.
[ -x /usr/bin/chromium ] || apt_install chromium fonts-dejavu-core
