# Headless Chromium: the browser the HTML reports and aligned views are tested in (Playwright
# drives Debian's /usr/bin/chromium; no browser is downloaded at test time).
[ -x /usr/bin/chromium ] || apt_install chromium fonts-dejavu-core
