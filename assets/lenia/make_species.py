"""Write the Lenia creature library, `assets/lenia/species.json`, and one scene per species,
`scenes/lenia/species/<code>.yaml`, from Bert Chan's public repository (github.com/Chakazul/Lenia).

    python assets/lenia/make_species.py PATH [--rev REV]

PATH is a clone of Chan's repository (a work tree, or a bare git directory read with `git show`).
Nothing of his code is used: the script reads his data files and transcribes the numbers and
cell codes of the species listed below, as data:

- `Python/animals.json`: his animal table for the executed Python (`LeniaND.py`): per species
  `code`, `name`, `params` {R, T, b, m, s, kn, gn} and `cells` (run-length code). The family is
  the nearest `>3` header above the entry.
- `Python/found/<D><C><K>.json`: species found with `LeniaNDKC.py` (several kernels and
  channels; "Lenia and Expanded Universe", Chan 2020). The file name is D (dimensions), C
  (channels), K (kernels per channel, plus one cross kernel per ordered channel pair when C > 1,
  in his `set_channels` order when an entry gives no `c`). Entries are comma-separated JSON
  objects; R, T and gn are read from the first kernel, as his code does.
- `JavaScript/Lenia-LifeForms.js`: his web catalogue, for the named creatures' rules
  (`R=13;k=bump4;d=gaus(0.15,0.017)*0.1`); their cells come from the animal table.

Each selected species gets `motion`: what its name in Chan's catalogue says it does (Latin
epithets: labens gliding, saliens leaping, pedes walking, volitans flying, natans swimming,
currens running, vagus wandering; gyrans gyrating, rotans rotating, lithos stone; Chan (2019)
describes Orbium, Scutium and their kin as gliders and Helicium, Volvium, Dentium as rotators).
tests/test_lenia_library.py checks each claim by running the species.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "assets" / "lenia" / "species.json"
#: the generated scenes: this folder holds only them (names `lenia/<code>`, `lenia/species/<code>`)
SCENES = ROOT / "scenes" / "lenia" / "species"
REPO = "https://github.com/Chakazul/Lenia"

#: one-channel species from Python/animals.json: (Chan's code, its name there (his codes repeat:
#: the name picks among them, or None for the first), which entry of that code and name (0 = the
#: first), motion). Our code is his with `~` left out.
ANIMALS = [
    ("O2u", None, 0, "glides"), ("O2b", None, 0, "glides"), ("O2ui", None, 0, "glides"),
    ("O2p", None, 0, "glides"), ("OG2g", None, 0, "gyrates"), ("OV2u", None, 0, "glides"),
    ("O4s", None, 0, "glides"), ("O4d", None, 0, "glides"), ("S1s", None, 0, "glides"),
    ("S1v", None, 0, "glides"), ("S2s", None, 0, "glides"), ("S3s", None, 0, "glides"),
    ("~S2p", None, 0, "glides"), ("PG1a", None, 0, "gyrates"), ("PS3am", None, 0, "glides"),
    ("P3cs", None, 0, "glides"), ("2P3cl", None, 0, "glides"), ("P4al", None, 0, "glides"),
    ("P5al", None, 0, "glides"), ("H3s", None, 0, "rotates"), ("2H3v", None, 0, "rotates"),
    ("C0la", None, 0, "stationary"), ("C0v", None, 0, "stationary"), ("3Es", None, 0, "glides"),
    ("3GH2n", None, 0, "glides"), ("2GA2v", None, 0, "glides"), ("2GG2g", None, 0, "gyrates"),
    ("3CtNa", None, 0, "glides"), ("3U4b", None, 0, "glides"),
    ("K4s", "Kronium solidus", 0, "glides"), ("K6s", None, 0, "glides"),
    ("KG4", None, 0, "gyrates"), ("4Q5s", None, 0, "glides"), ("V4", None, 0, "rotates"),
    ("2D6r", None, 0, "rotates"), ("3R5s", "Asterium solidus", 0, "glides"),
    ("3R5r", "Asterium rotans", 0, "rotates"), ("3B6s", "Hexabullium solidus", 1, "glides"),
    ("2L2r", None, 0, "rotates"), ("2L4l", None, 0, "stationary"),
    ("2F5l", "Pentafolium lithos", 0, "stationary"), ("3F9c", None, 0, "glides"),
    ("sbug", None, 0, "glides"),
]

#: the named creatures: (our code, the JavaScript entry's code, its rule's kernel (`k=`), the
#: animal-table entry whose cells they use, motion)
NAMED = [
    ("orbium", "O2(a)", "bump4", "O2u", "glides"),
    ("scutium", "S1(a)", "bump4", "S1s", "glides"),
    ("hydrogeminium", "3G", "quad4(1/2,1,2/3)", "3GH2n", "glides"),
]

#: species with several kernels or channels from Python/found/<file>.json: (file, entry code,
#: entry name (Chan's note), our code, motion). Chan's notes say how some move ("stable moving",
#: "rotating", "stationary"); the others are labelled with what they do over 500 steps here.
FOUND = [
    ("212", "OG2g", "Gyrorbium gyrans", "212-OG2g", "gyrates"),
    ("213", "Found #5", "ghost (robust)", "213-ghost", "glides"),
    ("213", "Found #81", "fish", "213-fish", "glides"),
    ("213", "Found #105", "scuta", "213-scuta", "glides"),
    ("213", "Found #3", "electric", "213-electric", "glides"),
    ("213", "Found #86", "rotating", "213-rotating", "rotates"),
    ("213", "Found #139", "stationary", "213-stationary", "stationary"),
    ("221", "", "stable moving", "221-moving", "glides"),
    ("221", "", "stable rotating", "221-rotating", "rotates"),
    ("221", "", "corona", "221-corona", "stationary"),
    ("231", "Found #16", "stable stationary", "231-stationary", "stationary"),
    ("233s", "C53H3V<XFZ91Q", "*", "233-C53H3V", "glides"),
    ("233s", "THPSAH<UE7UEA", "*", "233-THPSAH", "glides"),
    ("233p", "5N7KKM", "**M limus", "233-5N7KKM", "gyrates"),
    ("241", "FR0VYM", "*", "241-FR0VYM", "stationary"),
]

#: (channels, kernels per channel, cross kernels per ordered pair) of each found file
FOUND_SHAPE = {"212": (1, 2, 0), "213": (1, 3, 0), "221": (2, 1, 1), "222": (2, 2, 1),
               "223": (2, 3, 1), "231": (3, 1, 1), "232": (3, 2, 1), "233s": (3, 3, 1),
               "233p": (3, 3, 1), "241": (4, 1, 1)}


def reader(path: Path, rev: str):
    if (path / "Python").is_dir():
        return lambda name: (path / name).read_text(encoding="utf-8")
    return lambda name: subprocess.run(["git", "--git-dir", str(path), "show", f"{rev}:{name}"],
                                       check=True, capture_output=True).stdout.decode("utf-8")


def json_stream(text: str) -> list:
    """Comma-separated JSON values (Chan's found files), skipping lines that do not parse."""
    dec, i, out = json.JSONDecoder(), 0, []
    while i < len(text):
        while i < len(text) and text[i] in " ,\n\r\t":
            i += 1
        if i >= len(text):
            break
        try:
            obj, i = dec.raw_decode(text, i)
        except json.JSONDecodeError:
            j = text.find("\n{", i)
            if j < 0:
                break
            i = j + 1
            continue
        out.append(obj)
    return out


def default_channels(c: int, k: int, x: int) -> list[list[int]]:
    """Chan's `set_channels` order: K self kernels per channel, then X per ordered pair."""
    out = [[c0, c0] for c0 in range(c) for _ in range(k)]
    out += [[c0, c1] for c0 in range(c) for c1 in range(c) if c0 != c1 for _ in range(x)]
    return out


def js_rule(text: str) -> dict:
    """`R=13;k=bump4;d=gaus(0.15,0.017)*0.1` -> {R, T, b, m, s, kn, gn} (Chan's numbering)."""
    kn = {"quad4": 1, "bump4": 2, "stpz1/4": 3, "life": 4}
    gn = {"quad4": 1, "gaus": 2, "stpz": 3}
    parts = dict(p.split("=", 1) for p in text.split(";"))
    core = re.fullmatch(r"([a-z0-9/]+)(?:\(([^)]*)\))?", parts["k"])
    growth = re.fullmatch(r"([a-z0-9]+)\(([^,]+),([^)]+)\)\*([0-9.]+)", parts["d"])
    assert core and growth, text
    b = core.group(2) or "1"
    return {"R": int(parts["R"]), "T": round(1 / float(growth.group(4))), "b": b,
            "m": float(growth.group(2)), "s": float(growth.group(3)), "kn": kn[core.group(1)],
            "gn": gn[growth.group(1)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a clone of github.com/Chakazul/Lenia")
    parser.add_argument("--rev", default="HEAD")
    args = parser.parse_args()
    read = reader(args.repo, args.rev)
    sys.path.insert(0, str(ROOT))
    from alife.rules.lenia import library

    commit = args.rev
    if not (args.repo / "Python").is_dir():
        commit = subprocess.run(["git", "--git-dir", str(args.repo), "rev-parse", args.rev],
                                check=True, capture_output=True, text=True).stdout.strip()

    animals, family, table = json.loads(read("Python/animals.json")), "", {}
    for i, e in enumerate(animals):
        if e["code"].startswith(">"):
            if e["code"] == ">3":
                family = e["name"].removeprefix("family: ").split(" ", 1)[-1]
            continue
        if "params" in e:
            table.setdefault(e["code"], []).append((i, family, e))

    species = []
    rows = re.findall(r'^\["([^"]*)", "([^"]*)", "[^"]*", "([^"]*)"\]',
                      read("JavaScript/Lenia-LifeForms.js"), re.M)
    for name, js_code, js_kernel, cells_code, motion in NAMED:
        (code, latin, data), = [r for r in rows if r[0] == js_code and
                                f";k={js_kernel};" in r[2]]
        p = js_rule(data.split(";cells=")[0])
        index, fam, cells = table[cells_code][0]
        species.append({
            "code": name, "name": latin, "family": fam,
            "source": f"rule: JavaScript/Lenia-LifeForms.js entry {js_code!r} ({latin}): "
                      f"{data.split(';cells=')[0]}; cells: Python/animals.json entry {index} "
                      f"({cells_code})",
            "motion": motion, "R": p["R"], "T": p["T"], "gn": p["gn"],
            "kernels": [{"b": p["b"], "m": p["m"], "s": p["s"], "kn": p["kn"]}],
            "cells": cells["cells"]})
    for code, name, nth, motion in ANIMALS:
        index, fam, e = [row for row in table[code] if name in (None, row[2]["name"])][nth]
        p = e["params"]
        species.append({
            "code": code.replace("~", ""), "name": e["name"], "family": fam,
            "source": f"Python/animals.json entry {index} ({code!r})", "motion": motion,
            "R": p["R"], "T": p["T"], "gn": p["gn"],
            "kernels": [{"b": p["b"], "m": p["m"], "s": p["s"], "kn": p["kn"]}],
            "cells": e["cells"]})
    for file, code, note, ours, motion in FOUND:
        entries = [e for e in json_stream(read(f"Python/found/{file}.json"))
                   if isinstance(e, dict) and e.get("code", "") == code and e.get("name") == note]
        e = entries[0]
        c, k, x = FOUND_SHAPE[file]
        params = e["params"]
        chans = default_channels(c, k, x)
        assert len(params) == len(chans), (file, code, note)
        kernels = []
        for q, dc in zip(params, chans, strict=True):
            d = {"b": q["b"], "m": q["m"], "s": q["s"], "kn": q["kn"], "h": q.get("h", 1),
                 "r": q.get("r", 1), "c": q.get("c", dc)}
            kernels.append(d)
        cells = e["cells"] if isinstance(e["cells"], list) else [e["cells"]] * c
        label = f"{code} " if code else ""
        species.append({
            "code": ours, "name": (note if not note.startswith("*") else
                                   f"{code.split('<')[0]} ({note.lstrip('*')})".replace(" ()", "")),
            "family": "found by Chan's search (Lenia and Expanded Universe)",
            "source": f"Python/found/{file}.json entry {label}{note!r}", "motion": motion,
            "R": params[0]["R"], "T": params[0]["T"], "gn": params[0]["gn"], "channels": c,
            "kernels": kernels, "cells": cells if c > 1 else cells[0]})

    header = {
        "about": "Lenia species (Chan 2019, 2020) as data: Chan's numbers and run-length cell "
                 "codes, transcribed from his repository; read by alife.rules.lenia.library",
        "format": "R, T, gn (growth: 1 polynomial, 2 gaussian, 3 step), kernels [{b ring "
                  "heights, m, s, kn (core: 1 polynomial, 2 exponential, 3 step, 4 staircase), "
                  "h weight, r relative radius, c [source, target] channel}], channels, cells "
                  "(one run-length code per channel), motion (what the name says it does)",
        "repository": f"{REPO} (commit {commit})",
        "license": "MIT License, Copyright (c) 2018 Bert Chan",
        "citations": [
            "Bert Wang-Chak Chan. Lenia: Biology of Artificial Life. Complex Systems 28(3), "
            "251-286, 2019. doi:10.25088/ComplexSystems.28.3.251",
            "Bert Wang-Chak Chan. Lenia and Expanded Universe. ALIFE 2020, 221-229. "
            "doi:10.1162/isal_a_00297",
        ],
    }
    lines = ["{"] + [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in
                     header.items()]
    lines.append('  "species": [')
    lines.append(",\n".join("    " + json.dumps(s, ensure_ascii=False) for s in species))
    lines += ["  ]", "}", ""]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    library._catalogue.cache_clear()
    library._entries.cache_clear()
    library.species.cache_clear()

    SCENES.mkdir(exist_ok=True)
    written = set()
    for entry in species:
        sp = library.species(entry["code"])
        if entry["code"] in ("orbium", "hydrogeminium"):
            continue  # the hand-written scenes/lenia/orbium.yaml, hydrogeminium.yaml
        written.add(write_scene(sp))
    for stale in set(SCENES.glob("*.yaml")) - written:
        stale.unlink()
    print(f"{len(species)} species -> {OUT.relative_to(ROOT)}; scenes in "
          f"{SCENES.relative_to(ROOT)}")


def grid_side(sp) -> int:
    """A torus that holds the creature and a kernel's reach around it: a multiple of 32."""
    cells = sp.cells()
    reach = 2.5 * sp.radius * max(k.relative for k in sp.kernels)
    return max(64, 32 * math.ceil((max(cells.shape[-2:]) + reach) / 32))


def write_scene(sp) -> Path:
    side = grid_side(sp)
    zoom = max(1, 512 // side)
    words = {"glides": "glides", "gyrates": "gyrates (circles as it moves)",
             "rotates": "turns in place", "stationary": "stays in place",
             "varies": "lives"}[sp.motion]
    where = sp.source.split(" entry")[0].removeprefix("rule: ")
    if sp.single:
        description = (f"{sp.name} ({sp.family}), species {sp.code} of Chan's Lenia catalogue: "
                       f"one kernel, R={sp.radius:g}; it {words}. From github.com/Chakazul/Lenia "
                       f"{where}.")
    else:
        chans = f"{sp.channels} channel{'s' * (sp.channels > 1)}"
        description = (f"'{sp.name}', a creature Chan's search found in Lenia with {chans} and "
                       f"{len(sp.kernels)} kernels (Lenia and Expanded Universe), R="
                       f"{sp.radius:g}; it {words}. From github.com/Chakazul/Lenia {where}.")
    tree = {"version": 1, "name": f"{sp.code} {sp.name.split(' (')[0]}",
            "description": description, "seed": 0,
            "rule": {"family": "lenia",
                     "config": {"width": side, "height": side, "start": sp.code}},
            "view": {"zoom": zoom, **({"colormap": "viridis"} if sp.channels == 1 else {})},
            "run": {"steps": 500, "steps_per_frame": 1}}
    import yaml

    from alife.scene import load_scene, scene_text

    path = SCENES / f"{sp.code}.yaml"
    path.write_text(yaml.safe_dump(tree, sort_keys=False, width=98), encoding="utf-8")
    path.write_text(scene_text(load_scene(path), path), encoding="utf-8")
    return path


if __name__ == "__main__":
    main()
