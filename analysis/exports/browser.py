"""Finding the browser that draws chart images, and what to install when there is none.

kaleido drives Chrome, Chromium or Edge; nothing is downloaded at run time. Without one, the report,
the PDF and the deck still work, with tables in place of the charts.
"""

from __future__ import annotations

import platform
import shutil
from functools import lru_cache
from pathlib import Path

from analysis import settings

# Names on PATH, then the usual install places (macOS and Windows do not put browsers on PATH).
NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "msedge",
    "microsoft-edge",
    "microsoft-edge-stable",
)
PLACES = (
    "/usr/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "C:/Program Files/Google/Chrome/Application/chrome.exe",
    "C:/Program Files (x86)/Google/Chrome/Application/chrome.exe",
    "C:/Program Files (x86)/Microsoft/Edge/Application/msedge.exe",
    "C:/Program Files/Microsoft/Edge/Application/msedge.exe",
)
HINTS = {
    "Linux": "Cài trình duyệt Chromium để vẽ biểu đồ: sudo apt-get install -y chromium fonts-noto-core "
    "(Debian/Ubuntu), hoặc cài Google Chrome.",
    "Darwin": "Cài Google Chrome (hoặc Microsoft Edge) cho macOS vào thư mục Applications để vẽ biểu đồ.",
    "Windows": "Cài Google Chrome hoặc dùng Microsoft Edge có sẵn của Windows để vẽ biểu đồ.",
}


def find_browser() -> str | None:
    """The browser kaleido will use: BROWSER_PATH, then PATH, then the usual install places."""
    return _find(settings.browser_path())


@lru_cache(maxsize=4)
def _find(configured: str) -> str | None:
    if configured:
        return configured if Path(configured).is_file() else None
    for name in NAMES:
        if found := shutil.which(name):
            return found
    return next((p for p in PLACES if Path(p).is_file()), None)


def install_hint(system: str | None = None) -> str:
    """What to install on this operating system (Linux, Darwin = macOS, Windows) to get the charts."""
    system = system or platform.system()
    hint = HINTS.get(system, HINTS["Linux"])
    return (
        f"Không tìm thấy trình duyệt Chrome / Chromium / Edge nên tài liệu chỉ có bảng số liệu, chưa có biểu đồ. "
        f"{hint} Hoặc đặt biến BROWSER_PATH trỏ tới trình duyệt."
    )
