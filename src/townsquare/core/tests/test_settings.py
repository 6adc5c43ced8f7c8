"""Settings from the environment: each default works on a machine that has nothing yet."""

import subprocess
import sys
from pathlib import Path

from conftest import SRC, checkout_env


def test_subprocesses_run_this_checkouts_code() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import townsquare; print(townsquare.__file__)"],
        env=checkout_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert Path(done.stdout.strip()).is_relative_to(SRC)


def test_a_new_data_folder_is_made_on_the_first_command(tmp_path: Path) -> None:
    data_dir = tmp_path / "newsroom" / "var"
    env = checkout_env(TOWNSQUARE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="townsquare.settings")
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "townsquare.cli", "migrate", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (data_dir / "townsquare.sqlite3").stat().st_size > 0
