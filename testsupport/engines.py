"""Firefox and WebKit from Debian, driven as a reader drives a calculator (tests/browser/test_engines.py).

Firefox ESR runs headless through Marionette (marionette-driver); WebKitGTK's MiniBrowser through
WebKitWebDriver, with Selenium, on an Xvfb screen (WebKitGTK has no headless mode). Nothing
downloads a driver or a browser: each program is named by its path, and Selenium is handed the
address of a WebKitWebDriver started here, so Selenium Manager never runs.

Both engines answer the same few calls (Engine: open, type_into, pick, type_date, script, quit), so one
journey runs in either. Waits poll with Selenium's WebDriverWait, which takes any driver.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
from pathlib import Path

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
XVFB = "/usr/bin/Xvfb"
# What each engine needs on disk; `make test` installs them from Debian's packages.
PROGRAMS = {"firefox": (FIREFOX,), "webkit": (WEBKIT_DRIVER, MINIBROWSER, XVFB)}
START_LIMIT_S = 120  # generous: two shared cores, and the browser's own first start
SCREEN = "1280x900x24"


def missing(engine: str) -> list[str]:
    """The programs `engine` needs that are not installed."""
    return [path for path in PROGRAMS[engine] if not os.path.exists(path)]


def start(engine: str, logs: Path):
    """Start `engine`; its browser's and driver's own output goes to files in the folder `logs`."""
    return {"firefox": Firefox, "webkit": WebKit}[engine](logs)


def wait_until(driver, condition, timeout_s: float, message: str = ""):
    """Poll `condition(driver)` until it returns something true, and return that; fail after `timeout_s`."""
    return WebDriverWait(driver, timeout_s, poll_frequency=0.2).until(condition, message)


class Engine:
    """What a journey calls, in either engine: open, element, type_into, pick, type_date, script, quit."""

    name = ""

    def type_into(self, css: str, text: str) -> None:
        self.element(css).send_keys(text)


# ---------------------------------------------------------------------------------------------
# Firefox
# ---------------------------------------------------------------------------------------------


class Firefox(Engine):
    """Firefox ESR, headless, in a new profile (marionette-driver writes prefs that keep it off the
    network: no updates, telemetry or safe-browsing lists), on a free Marionette port."""

    name = "firefox"

    def __init__(self, logs: Path):
        from marionette_driver.marionette import Marionette

        self.logs = logs
        self.marionette = Marionette(bin=FIREFOX, headless=True, port=0, startup_timeout=START_LIMIT_S,
                                     gecko_log=str(logs / "firefox.log"))
        self.marionette.start_session()
        self.version = self.marionette.session_capabilities["browserVersion"]

    def open(self, url: str) -> None:
        self.marionette.navigate(url)

    def element(self, css: str):
        from marionette_driver.by import By

        return self.marionette.find_element(By.CSS_SELECTOR, css)

    def pick(self, css: str, value: str) -> None:
        """Open the list and click the choice, as a person does."""
        self.element(css).click()
        self.element(f"{css} option[value='{value}']").click()

    def type_date(self, css: str, day: dt.date) -> None:
        # Firefox's date control takes WebDriver's text as the value itself (a date control is not
        # typeable key by key in WebDriver's terms), in the ISO form whatever the locale.
        self.element(css).send_keys(day.isoformat())

    def script(self, body: str, *args):
        return self.marionette.execute_script(body, script_args=list(args))

    def quit(self) -> None:
        self.marionette.cleanup()


# ---------------------------------------------------------------------------------------------
# WebKit
# ---------------------------------------------------------------------------------------------


class WebKit(Engine):
    """WebKitGTK's MiniBrowser on its own Xvfb screen, through a WebKitWebDriver on a free port."""

    name = "webkit"

    def __init__(self, logs: Path):
        self.logs = logs
        self.screen = subprocess.Popen([XVFB, "-displayfd", "1", "-screen", "0", SCREEN, "-nolisten", "tcp"],
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.driver_process = self.driver = None
        try:
            display = self.screen.stdout.readline().decode().strip()  # Xvfb names the screen once it is up
            if not display:
                raise RuntimeError("Xvfb did not start")
            port = _free_port()
            # The control's date order follows the browser's locale: pin it, so type_date's keys hold.
            env = {**os.environ, "DISPLAY": f":{display}", "LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"}
            with open(logs / "webkit.log", "wb") as log:
                self.driver_process = subprocess.Popen([WEBKIT_DRIVER, f"--port={port}"], env=env,
                                                       stdout=log, stderr=subprocess.STDOUT)
            wait_until(None, lambda _: _listening(port), START_LIMIT_S, f"WebKitWebDriver on port {port}")
            self.driver = _webkit_session(port)
            self.version = self.driver.capabilities.get("browserVersion")
        except BaseException:
            self.quit()
            raise

    def open(self, url: str) -> None:
        self.driver.get(url)

    def element(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def pick(self, css: str, value: str) -> None:
        from selenium.webdriver.support.ui import Select

        Select(self.element(css)).select_by_value(value)

    def type_date(self, css: str, day: dt.date) -> None:
        # WebKit's date control is typed into, field by field, in the locale's order (en_US above).
        box = self.element(css)
        box.click()
        box.send_keys(f"{day.month:02d}/{day.day:02d}/{day.year:04d}")

    def script(self, body: str, *args):
        return self.driver.execute_script(body, *args)

    def quit(self) -> None:
        if self.driver is not None:
            try:
                self.driver.quit()
            except WebDriverException:  # the browser is gone already: the processes below still end
                pass
        for process in (self.driver_process, self.screen):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _webkit_session(port: int):
    from selenium import webdriver
    from selenium.webdriver.common.proxy import Proxy, ProxyType
    from selenium.webdriver.remote.client_config import ClientConfig

    options = webdriver.WebKitGTKOptions()
    options.binary_location = MINIBROWSER
    options.add_argument("--automation")
    # Remote: Selenium talks to the driver started above and never looks for one (no Selenium Manager),
    # straight, whatever proxy the environment names.
    address = f"http://127.0.0.1:{port}"
    config = ClientConfig(remote_server_addr=address, proxy=Proxy({"proxyType": ProxyType.DIRECT}))
    return webdriver.Remote(command_executor=address, options=options, client_config=config)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False
