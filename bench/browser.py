"""Headless Chromium for the page tests, the draw-time benchmark and the screenshots.

Debian's Chromium and its matching chromedriver, driven by Selenium, with the
network blocked (every http and https request is refused) and a fresh profile,
so a page passes only if it works offline.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "chromium"
CHROMEDRIVER = "chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Containers often give /dev/shm only 64 MB, too little for Chromium's shared memory.
    "--disable-dev-shm-usage",
)
BLOCKED = ["http://*", "https://*"]


def available() -> bool:
    """Whether Chromium and chromedriver are installed here."""
    return shutil.which(CHROMIUM) is not None and shutil.which(CHROMEDRIVER) is not None


@dataclass
class Browser:
    driver: webdriver.Chrome
    requests: list[str] = field(default_factory=list)

    def open(self, page: Path, wait_for: str, timeout: float = 60, poll: float = 0.5) -> None:
        """Load a local page and wait until the JavaScript expression ``wait_for`` is true.

        ``wait_for`` is checked every ``poll`` seconds: a timing needs a short one.
        """
        self.open_url(page.resolve().as_uri(), wait_for, timeout, poll)

    def open_url(self, url: str, wait_for: str, timeout: float = 60, poll: float = 0.5) -> None:
        """Load a URL and wait until the JavaScript expression ``wait_for`` is true (checked every ``poll`` s)."""
        self.driver.get(url)
        WebDriverWait(self.driver, timeout, poll_frequency=poll).until(
            lambda d: d.execute_script(f"return Boolean({wait_for});")
        )

    def run(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def console_errors(self) -> list[str]:
        """Console errors and uncaught exceptions since the last call."""
        return [entry["message"] for entry in self._log("browser") if entry["level"] == "SEVERE"]

    def web_requests(self) -> list[str]:
        """Every http(s) request the page attempted since the last call (blocked or not)."""
        for entry in self._log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"]["url"])
        attempted = [url for url in self.requests if url.startswith(("http://", "https://"))]
        self.requests.clear()
        return attempted

    def _log(self, kind: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.driver.get_log(kind)  # type: ignore[no-untyped-call]
        return entries

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
        return path


#: With ``loopback``: every request but those to this machine goes to a proxy that is not there, and no
#: name resolves but the loopback address, so a page served locally can talk only to its server.
LOOPBACK_ONLY = (
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)


@contextmanager
def chromium(width: int = 1400, height: int = 900, loopback: bool = False) -> Iterator[Browser]:
    """A headless Chromium with a fresh profile and the network blocked, closed afterwards.

    ``loopback`` leaves this machine reachable (for pages a local server serves), nothing else.
    """
    profile = tempfile.mkdtemp(prefix="trustkg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which(CHROMIUM) or CHROMIUM
    network = LOOPBACK_ONLY if loopback else ()
    for flag in (*FLAGS, *network, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which(CHROMEDRIVER) or CHROMEDRIVER), options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        if not loopback:
            driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED})
        yield Browser(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
