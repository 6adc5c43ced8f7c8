"""Screenshots for the README, taken in Debian's Chromium from a freshly seeded demo.

    .venv/bin/python scripts/screenshots.py [--port 8150] [--out docs/screenshots]

Seeds the demo into a scratch data folder, serves it, signs in as the demo moderator and saves
`queue.png` (the held queue) and `reader.png` (the publisher's page with the embedded thread).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
DEMO_PASSWORD = "townsquare-demo"  # noqa: S105  (the demo's printed password)
ARTICLE = "/news/demo/putin-aliyev-peace-talks/"


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  (our own local server)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server at {url} did not start")


def shoot(base: str, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
        page = context.new_page()
        page.goto(f"{base}/accounts/signin/?next=/moderate/demo/")
        page.get_by_label("User name").fill("moderator")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector(".mod-item")
        page.keyboard.press("j")
        page.mouse.move(0, 0)
        page.screenshot(path=str(out / "queue.png"))
        context.close()

        reader = browser.new_context(viewport={"width": 1280, "height": 1100})
        page = reader.new_page()
        page.goto(base + ARTICLE)
        frame = page.frame_locator("iframe.townsquare-frame")
        frame.locator(".ts-comment").first.wait_for()
        # The end of the article and the start of the embedded thread, as a reader scrolls to it.
        page.evaluate(
            "window.scrollTo(0, document.querySelector('iframe.townsquare-frame')"
            ".getBoundingClientRect().top + window.scrollY - 420)"
        )
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / "reader.png"))
        reader.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory(prefix="townsquare-shots-") as data_dir:
        env = {**os.environ, "TOWNSQUARE_DATA_DIR": data_dir, "TOWNSQUARE_PUBLIC_URL": base}
        env.pop("DATABASE_URL", None)
        townsquare = str(BIN / "townsquare")
        for command in (["migrate", "--no-input", "-v", "0"], ["demo_seed", "--quiet"]):
            subprocess.run([townsquare, *command], env=env, check=True)  # noqa: S603
        server = subprocess.Popen(  # noqa: S603
            [townsquare, "serve", "--bind", f"127.0.0.1:{args.port}", "--workers", "1"], env=env
        )
        try:
            wait_until_up(base + "/accounts/signin/")
            shoot(base, args.out)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"Saved {args.out / 'queue.png'} and {args.out / 'reader.png'}")


if __name__ == "__main__":
    main()
