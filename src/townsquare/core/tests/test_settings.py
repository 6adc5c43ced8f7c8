"""Settings from the environment: each default works on a machine that has nothing yet."""

import os
import subprocess
import sys
from pathlib import Path


def test_a_new_data_folder_is_made_on_the_first_command(tmp_path: Path) -> None:
    data_dir = tmp_path / "newsroom" / "var"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env |= {"TOWNSQUARE_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "townsquare.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "townsquare.cli", "migrate", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (data_dir / "townsquare.sqlite3").stat().st_size > 0
