"""What the peer benchmark sends: the generated threads every server is seeded with, and the wrk
script that posts comments (signed in where the server needs it)."""

import json
import random
from pathlib import Path

from measure import VAR

WORDS = [
    "the",
    "council",
    "budget",
    "bus",
    "line",
    "school",
    "library",
    "harbour",
    "bridge",
    "vote",
    "mayor",
    "river",
    "park",
    "market",
    "rain",
    "tram",
    "station",
    "housing",
    "plan",
    "rent",
    "teachers",
    "nurses",
    "hospital",
    "road",
    "repair",
    "summer",
    "festival",
    "museum",
    "history",
    "reporter",
    "article",
    "fair",
    "point",
    "disagree",
    "agree",
    "numbers",
    "data",
    "source",
    "question",
    "answer",
    "neighbourhood",
    "parking",
    "cycling",
    "lane",
    "traffic",
    "noise",
    "trees",
    "garden",
    "price",
    "energy",
    "heating",
    "winter",
]


def thread_rows(n: int, seed: int) -> list[tuple[str, int | None]]:
    """`n` comments: every fifth one top-level, the others replies to the latest top-level one."""
    rng = random.Random(seed)
    rows: list[tuple[str, int | None]] = []
    last_top = 0
    for i in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 45))).capitalize() + "."
        text = f"{text} ({i})"
        if i % 5 == 0:
            last_top = i
            rows.append((text, None))
        else:
            rows.append((text, last_top))
    return rows


THREADS = {"t100": thread_rows(100, 100), "t1000": thread_rows(1000, 1000)}


POST_LUA = """
local bodies_fmt = %(fmt)s
local path = %(path)s
local cookies = {}
for line in io.lines(%(cookies)s) do cookies[#cookies + 1] = line end
local words = {%(words)s}
-- Globals, not locals: setup() runs in the main state and sets thread_no in each thread's state.
threads_made = 0
counter = 0
function setup(thread) threads_made = threads_made + 1; thread:set("thread_no", threads_made) end
function init(args) thread_no = thread_no or 0; math.randomseed(os.time() + thread_no * 7919); counter = 0 end
function request()
  counter = counter + 1
  local t = {}
  for i = 1, 20 do t[i] = words[math.random(#words)] end
  -- Unique per thread and request, and not digits in a row (the pipeline holds phone numbers).
  local text = table.concat(t, " ") .. string.format(" (t%%d n%%d k%%x)", thread_no, counter, math.random(1e9))
  local headers = {["Content-Type"] = "application/json"}
  if #cookies > 0 then
    local c = cookies[((counter + thread_no * 7) %% #cookies) + 1]
    headers["Cookie"] = c
    headers["X-CSRFToken"] = string.match(c, "csrftoken=(%%w+)")
  end
  return wrk.format("POST", path, headers, string.format(bodies_fmt, text))
end
"""


def post_script(name: str, path: str, body_fmt: str, cookies: list[str]) -> Path:
    cookie_file = VAR / f"{name}-cookies.txt"
    cookie_file.write_text("\n".join(cookies) + ("\n" if cookies else ""))
    script = VAR / f"{name}-post.lua"
    script.write_text(
        POST_LUA
        % {
            "fmt": json.dumps(body_fmt),
            "path": json.dumps(path),
            "cookies": json.dumps(str(cookie_file)),
            "words": ", ".join(json.dumps(w) for w in WORDS),
        }
    )
    return script
