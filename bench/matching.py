"""Benchmark of the matching engine (not run in CI or tests).

    .venv/bin/python bench/matching.py                      # 100,000 mentees x 25,000 mentors
    .venv/bin/python bench/matching.py --mentees 20000 --dense-check 0 --package-sizes "" --slope-sizes ""
    .venv/bin/python bench/matching.py --skip-main --dense-check 0 --package-sizes "" \\
        --slope-sizes 10000,20000                           # only the scoring phase's growth

Instances are generated here, seeded (`--seed`, default 1), with realistic skew: a few specialties,
countries of medical school and institutions hold most people (Zipf-like weights), research interests
are drawn from specialty-specific topic phrases, and about 2 % of mentors are "popular" (broad interests,
many career tracks, common languages). Mentors = mentees / 4 with capacity 4; mentees have capacity 1;
0.5 % of mentees have forbidden pairs and 5 % a previous mentor.

Figures printed: seconds per phase, wall clock and CPU (user + sys, all threads: on a shared machine
compare CPU) (validate, encode, scoring + top-k candidates, optimal solve with widening, stable solve),
each with the machine's load average; the scoring phase's pairs per CPU second and per wall-clock
second, the pairs actually scored against all pairs, and its CPU growth slope d log(CPU) / d log(mentees)
over `--slope-sizes` (default 10,000 to 100,000 mentees; scoring every pair gives 2, since mentors grow
with mentees). `--prune` scores only the pairs the score bounds cannot rule out (candidates.py);
`--compare-prune` measures the scoring phase and the slope both ways in the same run and checks that
both give the same graph. `--end-to-end` times `solve()` for optimal and stable on the main instance
(wall and CPU, per phase). Also: peak memory, matched versus the maximum; the loss of top_k
against the dense optimum (scipy's linear_sum_assignment on the capacity-expanded matrix) at
`--dense-check` mentees; and `stable` against the `matching` package's HospitalResident solver on the
same preference lists at the sizes in `--package-sizes`, up to `--package-budget` seconds each.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from mentora.matching import solve  # noqa: E402
from mentora.matching.candidates import candidate_graph  # noqa: E402
from mentora.matching.optimal import fair_matching  # noqa: E402
from mentora.matching.scoring import Scorer  # noqa: E402
from mentora.matching.stable import build_preferences, deferred_acceptance  # noqa: E402
from mentora.matching.validation import check_instance  # noqa: E402

SPECIALTIES = {
    "internal_medicine": ["cardiology", "nephrology", "gastroenterology", "infectious_disease", "oncology",
                          "pulmonology", "endocrinology", "hospital_medicine"],
    "family_medicine": ["sports_medicine", "geriatrics", "obstetrics"],
    "pediatrics": ["neonatology", "pediatric_cardiology", "pediatric_oncology"],
    "psychiatry": ["child_psychiatry", "addiction"],
    "neurology": ["stroke", "epilepsy"],
    "general_surgery": ["trauma", "surgical_oncology"],
    "anesthesiology": ["pain_medicine", "critical_care"],
    "pathology": ["hematopathology"],
    "emergency_medicine": ["toxicology"],
    "obstetrics_gynecology": ["maternal_fetal_medicine"],
    "radiology": ["interventional_radiology"],
    "physical_medicine": [],
    "dermatology": [],
    "ophthalmology": [],
}
TOPICS = {
    "internal_medicine": ["heart failure outcomes", "sepsis mortality", "diabetes care disparities",
                          "hospital readmissions", "antimicrobial stewardship", "chronic kidney disease",
                          "cancer survivorship", "atrial fibrillation anticoagulation", "copd exacerbations"],
    "family_medicine": ["primary care access", "rural health workforce", "preventive screening uptake",
                        "hypertension control community"],
    "pediatrics": ["neonatal sepsis", "childhood asthma", "vaccine hesitancy", "pediatric obesity"],
    "psychiatry": ["depression screening", "opioid use disorder treatment", "physician burnout wellbeing"],
    "neurology": ["stroke thrombectomy outcomes", "epilepsy surgery", "dementia caregivers"],
    "general_surgery": ["surgical site infection", "trauma systems", "global surgery capacity"],
    "anesthesiology": ["perioperative outcomes", "regional anesthesia pain"],
    "pathology": ["digital pathology machine learning"],
    "emergency_medicine": ["emergency department crowding", "point of care ultrasound"],
    "obstetrics_gynecology": ["maternal mortality", "preterm birth prevention"],
    "radiology": ["imaging artificial intelligence", "radiation dose reduction"],
    "physical_medicine": ["spinal cord injury rehabilitation"],
    "dermatology": ["skin of color dermatology", "melanoma screening"],
    "ophthalmology": ["diabetic retinopathy screening", "glaucoma progression"],
}
GENERIC = ["medical education curriculum", "health equity", "quality improvement", "global health",
           "immigrant physicians", "clinical trials", "health policy", "telemedicine", "mentorship programs",
           "implementation science", "patient safety", "epidemiology", "health economics"]
COUNTRIES = [  # (code, UN M49 subregion, main language)
    ("IN", "southern_asia", "hi"), ("PK", "southern_asia", "ur"), ("PH", "south_eastern_asia", "tl"),
    ("NG", "western_africa", "yo"), ("EG", "northern_africa", "ar"), ("MX", "latin_america", "es"),
    ("CN", "eastern_asia", "zh"), ("IR", "southern_asia", "fa"), ("BD", "southern_asia", "bn"),
    ("SY", "western_asia", "ar"), ("DO", "latin_america", "es"), ("CO", "latin_america", "es"),
    ("RU", "eastern_europe", "ru"), ("UA", "eastern_europe", "uk"), ("GH", "western_africa", "en"),
    ("ET", "eastern_africa", "am"), ("LB", "western_asia", "ar"), ("JO", "western_asia", "ar"),
    ("NP", "southern_asia", "ne"), ("LK", "southern_asia", "si"), ("BR", "latin_america", "pt"),
    ("VE", "latin_america", "es"), ("PE", "latin_america", "es"), ("KR", "eastern_asia", "ko"),
    ("VN", "south_eastern_asia", "vi"), ("TR", "western_asia", "tr"), ("PL", "eastern_europe", "pl"),
    ("IT", "southern_europe", "it"), ("GR", "southern_europe", "el"), ("KE", "eastern_africa", "sw"),
    ("SD", "northern_africa", "ar"), ("IQ", "western_asia", "ar"), ("CU", "latin_america", "es"),
    ("GY", "latin_america", "en"), ("JM", "latin_america", "en"), ("AF", "southern_asia", "ps"),
    ("US", "northern_america", "en"),
]
TRACKS = ["academic_medicine", "research", "clinical", "education", "leadership", "global_health", "advocacy"]
OFFSETS = [-5, -6, -7, -8, -5, -6, -5, -4, -10, 5.5, 1, 3]


def zipf(n: int, exponent: float = 1.1) -> list[float]:
    weights = [1.0 / (rank ** exponent) for rank in range(1, n + 1)]
    total = sum(weights)
    return [w / total for w in weights]


def generate(n_mentees: int, n_mentors: int, seed: int = 1, capacity: int = 4) -> dict[str, Any]:
    """A seeded instance with skewed specialties, countries, institutions and popular mentors."""
    rng = random.Random(seed)
    specialties = list(SPECIALTIES)
    specialty_weights = zipf(len(specialties), 1.3)
    country_weights = zipf(len(COUNTRIES), 1.0)
    institutions = [f"University Hospital {i}" for i in range(600)]
    institution_weights = zipf(len(institutions), 1.0)

    def person(identifier: str, mentor: bool) -> dict[str, Any]:
        specialty = rng.choices(specialties, specialty_weights)[0]
        popular = mentor and rng.random() < 0.02
        attributes: dict[str, Any] = {"specialty": specialty}
        subs = SPECIALTIES[specialty]
        if subs and rng.random() < (0.7 if mentor else 0.4):
            attributes["subspecialty"] = rng.choice(subs)
        topics = TOPICS[specialty]
        phrases = rng.sample(topics, min(len(topics), 4 if popular else rng.randint(1, 2)))
        phrases += rng.sample(GENERIC, 3 if popular else rng.randint(0, 2))
        if rng.random() < 0.9:
            attributes["research_interests"] = ", ".join(phrases)
        if rng.random() < 0.3:
            attributes["interest_tags"] = [p.split()[0] for p in phrases[:2]]
        attributes["career_tracks"] = rng.sample(TRACKS, 5 if popular else rng.randint(1, 3))
        country, region, language = rng.choices(COUNTRIES, country_weights)[0]
        if mentor and rng.random() < 0.45:
            country, region, language = COUNTRIES[-1]
        attributes["country"] = country
        attributes["region"] = region
        if country == "US":
            attributes["img_status"] = "us_grad"
        else:
            attributes["img_status"] = "us_img" if rng.random() < 0.15 else "non_us_img"
        languages = ["en"] if language == "en" else ["en", language]
        if popular or rng.random() < 0.1:
            languages.append(rng.choice(["es", "hi", "ar", "fr"]))
        attributes["languages"] = sorted(set(languages))
        attributes["utc_offset"] = rng.choice(OFFSETS)
        attributes["level"] = rng.randint(5, 35) if mentor else rng.randint(0, 7)
        if rng.random() < 0.8:
            attributes["institution"] = rng.choices(institutions, institution_weights)[0]
        if rng.random() < 0.7:
            attributes["gender"] = rng.choices(["woman", "man", "nonbinary"], [0.48, 0.48, 0.04])[0]
        if rng.random() < 0.5:
            attributes["race_ethnicity"] = rng.choice(["asian", "black", "hispanic", "white", "mena", "other"])
        sensitive = ["gender", "race_ethnicity"]
        if mentor:
            attributes["concordance_consent"] = [s for s in sensitive if rng.random() < 0.6]
        else:
            attributes["concordance_wanted"] = [s for s, p in zip(sensitive, [0.2, 0.1], strict=True)
                                                if rng.random() < p]
        result: dict[str, Any] = {"id": identifier, "attributes": attributes}
        if mentor:
            result["capacity"] = capacity
        return result

    mentees = [person(f"r{i}", False) for i in range(n_mentees)]
    mentors = [person(f"m{j}", True) for j in range(n_mentors)]
    forbidden = []
    previous = []
    for i in range(n_mentees):
        if rng.random() < 0.005:
            for _ in range(rng.randint(1, 3)):
                forbidden.append([f"r{i}", f"m{rng.randrange(n_mentors)}"])
        if rng.random() < 0.05:
            previous.append([f"r{i}", f"m{rng.randrange(n_mentors)}"])
    return {"mentees": mentees, "mentors": mentors, "forbidden": forbidden, "previous": previous}


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Phases:
    """Wall-clock and CPU seconds (all threads) per phase, and the CPU of child processes that ended in
    it (the schema check of a large document runs in a forked process beside the encoding)."""

    def __init__(self) -> None:
        self.seconds: dict[str, dict[str, float]] = {}
        self.start()

    def start(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()
        self.children = children_cpu()

    def stop(self, name: str) -> None:
        self.seconds[name] = {"wall": round(time.perf_counter() - self.wall, 2),
                              "cpu": round(time.process_time() - self.cpu, 2),
                              "children_cpu": round(children_cpu() - self.children, 2),
                              "load": round(os.getloadavg()[0], 1)}
        print(f"  {name}: {self.seconds[name]}", file=sys.stderr, flush=True)


def run_main(document: dict[str, Any], top_k: int, figures: dict[str, Any], prune: bool = False,
             compare_prune: bool = False, skip_solves: bool = False) -> None:
    from mentora.matching.engine import _solve_optimal, _solve_stable

    phases = Phases()
    instance = check_instance(document, top_k=top_k)
    phases.stop("validate (JSON Schema + checks)")

    phases.start()
    scorer = Scorer(instance, text_embedder=None)
    phases.stop("encode attributes")

    shown = {"tenth": -1}

    def progress(phase: str, done: int, total: int) -> None:
        tenth = 10 * done // max(total, 1)
        if tenth != shown["tenth"]:
            shown["tenth"] = tenth
            print(f"  {phase}: {done:,}/{total:,}", file=sys.stderr, flush=True)

    modes = [not prune, prune] if compare_prune else [prune]
    graphs = []
    for mode in modes:
        name = f"scoring + top-k candidates ({'pruned' if mode else 'every pair'})"
        counters: dict[str, int] = {}
        phases.start()
        candidates = candidate_graph(scorer, top_k=top_k, progress=progress, prune=mode, counters=counters)
        phases.stop(name)
        figures.setdefault("scoring_modes", {})["pruned" if mode else "every_pair"] = scoring_rate(
            instance, scorer, phases.seconds[name], counters)
        graphs.append(candidates)
        print(f"  scoring: {figures['scoring_modes']}", file=sys.stderr, flush=True)
    figures["scoring"] = figures["scoring_modes"]["pruned" if prune else "every_pair"]
    if compare_prune:
        first, second = graphs
        figures["pruned_graph_identical"] = bool(
            np.array_equal(first.mentee, second.mentee) and np.array_equal(first.mentor, second.mentor)
            and np.array_equal(first.score, second.score))
    figures["candidate_edges"] = len(candidates)

    if skip_solves:
        figures["seconds"] = phases.seconds
        figures["peak_memory_mb"] = round(peak_memory_mb())
        return

    class Clock:
        def lap(self, phase: str) -> None:
            pass

    phases.start()
    widened, selected, extra = _solve_optimal(instance, scorer, candidates, False, None, Clock())
    phases.stop("optimal solve incl. widening")
    cents = np.rint(widened.score[selected] * 100)
    figures["optimal"] = {
        "matched": int(selected.sum()),
        "mentee_slots": int(instance.mentee_capacity.sum()),
        "mentor_slots": int(instance.mentor_capacity.sum()),
        "maximum_certified": extra["maximum_certified"],
        "widening_rounds": extra["widening_rounds"],
        "total_score": float(cents.sum()) / 100,
        "mean_score": round(float(cents.mean()) / 100, 2) if len(cents) else None,
        "min_score": float(cents.min()) / 100 if len(cents) else None,
    }
    figures["peak_memory_mb_after_optimal"] = round(peak_memory_mb())

    phases.start()
    edges, stable_selected, stable_extra = _solve_stable(instance, scorer, candidates)
    phases.stop("stable solve (preferences + deferred acceptance + blocking check)")
    figures["stable"] = {"matched": int(stable_selected.sum()), "blocking_pairs": stable_extra["blocking_pairs"],
                         "acceptable_pairs": stable_extra["acceptable_pairs"]}

    phases.start()
    fair = fair_matching(widened, instance.mentee_capacity, instance.mentor_capacity)
    phases.stop("fair (optimal --fair) solve on the widened graph")
    fair_cents = np.rint(widened.score[fair] * 100)
    figures["fair"] = {"matched": int(fair.sum()), "min_score": float(fair_cents.min()) / 100 if fair.any() else None,
                       "total_score": float(fair_cents.sum()) / 100}
    figures["seconds"] = phases.seconds
    figures["peak_memory_mb"] = round(peak_memory_mb())


def scoring_rate(instance: Any, scorer: Scorer, seconds: dict[str, float],
                 counters: dict[str, int] | None = None) -> dict[str, Any]:
    """Pairs the scoring phase covers (mentees with capacity x mentors) per CPU and per wall-clock second,
    and the pairs it actually scored (all of them without pruning; per stage with it).

    CPU seconds are user + sys of the whole process (all threads): on a shared machine the wall clock
    measures the other work as much as this one.
    """
    pairs = int(np.count_nonzero(instance.mentee_capacity > 0)) * scorer.n_mentors
    counters = counters or {}
    scored = counters.get("scored", pairs)
    return {"pairs": pairs, "scored_pairs": scored, "scored_fraction": round(scored / pairs, 4) if pairs else None,
            "bounds_computed": counters.get("bounds", 0),
            "stages": {k: v for k, v in counters.items() if k not in {"pairs", "scored", "bounds"}},
            "cpu_seconds": seconds["cpu"], "wall_seconds": seconds["wall"], "load": seconds.get("load"),
            "pairs_per_cpu_second": round(pairs / seconds["cpu"]) if seconds["cpu"] else None,
            "pairs_per_wall_second": round(pairs / seconds["wall"]) if seconds["wall"] else None,
            "scored_pairs_per_cpu_second": round(scored / seconds["cpu"]) if seconds["cpu"] else None}


def scoring_growth(sizes: list[int], seed: int, top_k: int, capacity: int,
                   measured: dict[int, dict[str, Any]], prune: bool = False) -> dict[str, Any]:
    """CPU seconds of the scoring phase at each size, and the growth slope d log(CPU) / d log(mentees).

    Mentors grow with mentees (mentees / capacity), so scoring every pair has slope 2 and scoring
    only the pairs that can enter a top-k has slope near 1. Sizes already measured by the main run
    are reused rather than run twice.
    """
    runs = []
    for size in sizes:
        if size not in measured:
            document = generate(size, max(1, size // capacity), seed=seed, capacity=capacity)
            instance = check_instance(document, top_k=top_k)
            del document
            scorer = Scorer(instance, text_embedder=None)
            phases = Phases()
            counters: dict[str, int] = {}
            candidate_graph(scorer, top_k=top_k, prune=prune, counters=counters)
            name = f"scoring + top-k candidates at {size:,} mentees ({'pruned' if prune else 'every pair'})"
            phases.stop(name)
            measured[size] = scoring_rate(instance, scorer, phases.seconds[name], counters)
        runs.append({"mentees": size, **measured[size]})
    slopes = []
    for before, after in zip(runs, runs[1:], strict=False):
        if before["cpu_seconds"] and after["cpu_seconds"] and after["mentees"] != before["mentees"]:
            slope = math.log(after["cpu_seconds"] / before["cpu_seconds"]) / math.log(after["mentees"] / before["mentees"])
            slopes.append({"from": before["mentees"], "to": after["mentees"], "cpu_slope": round(slope, 2)})
    first, last = (runs[0], runs[-1]) if runs else ({}, {})
    if len(runs) > 2 and first["cpu_seconds"] and last["cpu_seconds"] and last["mentees"] != first["mentees"]:
        slope = math.log(last["cpu_seconds"] / first["cpu_seconds"]) / math.log(last["mentees"] / first["mentees"])
        slopes.append({"from": first["mentees"], "to": last["mentees"], "cpu_slope": round(slope, 2)})
    return {"runs": runs, "slopes": slopes}


def end_to_end(document: dict[str, Any], top_k: int, prune: bool) -> dict[str, Any]:
    """`solve()` as a caller runs it (validation to result document), for optimal and for stable."""
    from mentora.matching import engine

    class CpuClock(engine._Clock):
        """The engine's phase clock, also counting this process's CPU seconds per phase."""

        def __init__(self) -> None:
            super().__init__()
            self.cpu = time.process_time()
            self.cpu_phases: dict[str, float] = {}
            clocks.append(self)

        def lap(self, phase: str) -> None:
            super().lap(phase)
            now = time.process_time()
            self.cpu_phases[phase] = round(self.cpu_phases.get(phase, 0.0) + now - self.cpu, 2)
            self.cpu = now

    clocks: list[CpuClock] = []
    runs = {}
    for algorithm in ("optimal", "stable"):
        phases = Phases()
        engine_clock, engine._Clock = engine._Clock, CpuClock  # type: ignore[misc]
        try:
            result = solve(document, algorithm=algorithm, top_k=top_k, text_embedder=None, prune=prune)
        finally:
            engine._Clock = engine_clock  # type: ignore[misc]
        phases.stop(f"end to end, {algorithm}{' (pruned)' if prune else ''}")
        stats = result["stats"]
        runs[algorithm] = {**phases.seconds[f"end to end, {algorithm}{' (pruned)' if prune else ''}"],
                           "phase_wall_seconds": stats["phase_seconds"],
                           "phase_cpu_seconds": clocks[-1].cpu_phases, "matched": stats["matched"],
                           "total_score": stats["total_score"], "blocking_pairs": stats["blocking_pairs"],
                           "scored_pairs": stats["scored_pairs"]}
        del result
    return runs


def dense_check(n_mentees: int, seed: int, top_k: int, capacity: int) -> dict[str, Any]:
    """Total score lost to top_k against the dense optimum (linear_sum_assignment, capacity-expanded)."""
    from scipy.optimize import linear_sum_assignment

    document = generate(n_mentees, n_mentees // capacity, seed=seed + 1, capacity=capacity)
    instance = check_instance(document, top_k=top_k)
    scorer = Scorer(instance, text_embedder=None)
    n, m = scorer.n_mentees, scorer.n_mentors
    started = time.perf_counter()
    candidates = candidate_graph(scorer, top_k=top_k)
    from mentora.matching.engine import _solve_optimal

    class Clock:
        def lap(self, phase: str) -> None:
            pass

    widened, selected, extra = _solve_optimal(instance, scorer, candidates, False, None, Clock())
    ours = float(np.rint(widened.score[selected] * 100).sum())
    ours_seconds = time.perf_counter() - started

    started = time.perf_counter()
    cents = np.empty((n, m), np.float64)
    step = 2000
    for start in range(0, n, step):
        rows = np.arange(start, min(n, start + step))
        cents[start:start + len(rows)] = np.rint(scorer.score_block(rows).astype(np.float64) * 100)
    big = 1e7
    excluded_rows, excluded_cols = instance.excluded_arrays()
    cents[excluded_rows, excluded_cols] = -big
    columns = np.repeat(np.arange(m), instance.mentor_capacity)
    cost = -cents[:, columns]
    del cents
    rows_assigned, cols_assigned = linear_sum_assignment(cost)
    values = -cost[rows_assigned, cols_assigned]
    dense = float(values[values > -big / 2].sum())
    dense_matched = int(np.count_nonzero(values > -big / 2))
    dense_seconds = time.perf_counter() - started
    return {
        "mentees": n, "mentors": m, "top_k": top_k,
        "ours_total": ours / 100, "ours_matched": int(selected.sum()), "ours_seconds": round(ours_seconds, 2),
        "dense_total": dense / 100, "dense_matched": dense_matched, "dense_seconds": round(dense_seconds, 2),
        "loss_percent": round(100 * (dense - ours) / dense, 4) if dense else 0.0,
    }


def package_check(n_mentees: int, seed: int, top_k: int, capacity: int, budget: float) -> dict[str, Any]:
    """`stable` against matching.games.HospitalResident on the same preference lists."""
    import multiprocessing

    document = generate(n_mentees, max(1, n_mentees // capacity), seed=seed + 2, capacity=capacity)
    instance = check_instance(document, top_k=top_k)
    scorer = Scorer(instance, text_embedder=None)
    from mentora.matching.engine import _solve_stable

    candidates = candidate_graph(scorer, top_k=top_k)
    started = time.perf_counter()
    edges, selected, extra = _solve_stable(instance, scorer, candidates)
    ours_seconds_with_preferences = time.perf_counter() - started
    preferences = build_preferences(edges, len(instance.mentees), len(instance.mentors),
                                    [p.id for p in instance.mentees], [p.id for p in instance.mentors],
                                    [None] * len(instance.mentees), [None] * len(instance.mentors))
    started = time.perf_counter()
    selected = deferred_acceptance(preferences, instance.mentor_capacity)
    ours_seconds = time.perf_counter() - started
    ours = {(instance.mentees[i].id, instance.mentors[j].id)
            for i, j in zip(edges.mentee[selected].tolist(), edges.mentor[selected].tolist(), strict=True)}
    mentee_prefs: dict[str, list[str]] = {}
    for position in preferences.mentee_order.tolist():
        mentee_prefs.setdefault(instance.mentees[edges.mentee[position]].id, []).append(
            instance.mentors[edges.mentor[position]].id)
    mentor_lists: dict[str, list[tuple[int, str]]] = {}
    for position in range(len(edges)):
        mentor_lists.setdefault(instance.mentors[edges.mentor[position]].id, []).append(
            (int(preferences.mentor_rank[position]), instance.mentees[edges.mentee[position]].id))
    mentor_prefs = {j: [i for _, i in sorted(items)] for j, items in mentor_lists.items()}
    capacities = {j: instance.mentors[0].capacity for j in mentor_prefs}
    queue: Any = multiprocessing.Queue()
    process = multiprocessing.Process(target=_run_package, args=(mentee_prefs, mentor_prefs, capacities, queue))
    process.start()
    # Read before joining: a child with a large result blocks until the queue is drained.
    deadline = time.monotonic() + budget
    answer = None
    while answer is None and time.monotonic() < deadline and (process.is_alive() or not queue.empty()):
        try:
            answer = queue.get(timeout=1.0)
        except Exception:  # noqa: BLE001 - queue.Empty: not finished yet
            continue
    if answer is None:
        process.terminate()
        process.join()
        return {"mentees": n_mentees, "finished": False, "budget_seconds": budget,
                "ours_seconds": round(ours_seconds, 3)}
    process.join()
    theirs, package_seconds = answer
    return {
        "mentees": n_mentees, "finished": True, "identical": theirs == ours, "pairs": len(ours),
        "package_seconds": round(package_seconds, 2), "ours_seconds": round(ours_seconds, 3),
        "ours_seconds_with_preferences": round(ours_seconds_with_preferences, 3),
        "speedup": round(package_seconds / max(ours_seconds, 1e-6), 1),
    }


def _run_package(mentee_prefs: dict[str, list[str]], mentor_prefs: dict[str, list[str]],
                 capacities: dict[str, int], queue: Any) -> None:
    import warnings

    here = str(Path(__file__).resolve().parent)  # this file is also called matching.py
    sys.path[:] = [p for p in sys.path if p not in ("", here)]
    sys.modules.pop("matching", None)
    from matching.games import HospitalResident

    sys.setrecursionlimit(1_000_000)
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    game = HospitalResident.create_from_dictionaries(mentee_prefs, mentor_prefs, capacities)
    solution = game.solve(optimal="resident")
    pairs = {(resident.name, hospital.name) for hospital, residents in solution.items() for resident in residents}
    queue.put((pairs, time.perf_counter() - started))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentees", type=int, default=100_000)
    parser.add_argument("--mentors", type=int, default=None, help="default: mentees / capacity")
    parser.add_argument("--capacity", type=int, default=4)
    parser.add_argument("--top-k", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dense-check", type=int, default=20_000, help="mentees of the dense comparison (0: skip)")
    parser.add_argument("--package-sizes", default="500,1000,2000,5000,10000,20000",
                        help="comma-separated mentee counts for the matching-package comparison")
    parser.add_argument("--package-budget", type=float, default=300.0)
    parser.add_argument("--json", default=None, help="also write the figures to this file")
    parser.add_argument("--skip-main", action="store_true", help="only the comparisons")
    parser.add_argument("--prune", action="store_true", help="score only pairs the bounds cannot rule out")
    parser.add_argument("--compare-prune", action="store_true",
                        help="scoring phase and slope both with and without pruning, in the same run")
    parser.add_argument("--end-to-end", action="store_true", help="time solve() for optimal and stable")
    parser.add_argument("--skip-solves", action="store_true", help="main run: stop after the scoring phase")
    parser.add_argument("--slope-sizes", default="10000,100000",
                        help="comma-separated mentee counts for the scoring phase's growth slope (empty: skip)")
    arguments = parser.parse_args()
    n_mentors = arguments.mentors or max(1, arguments.mentees // arguments.capacity)
    figures: dict[str, Any] = {"mentees": arguments.mentees, "mentors": n_mentors, "capacity": arguments.capacity,
                               "top_k": arguments.top_k, "seed": arguments.seed}
    if not arguments.skip_main:
        started = time.perf_counter()
        document = generate(arguments.mentees, n_mentors, seed=arguments.seed, capacity=arguments.capacity)
        figures["generate_seconds"] = round(time.perf_counter() - started, 2)
        print(f"generated {arguments.mentees:,} mentees x {n_mentors:,} mentors in {figures['generate_seconds']} s",
              file=sys.stderr)
        run_main(document, arguments.top_k, figures, prune=arguments.prune,
                 compare_prune=arguments.compare_prune, skip_solves=arguments.skip_solves)
        if arguments.end_to_end:
            figures["end_to_end"] = end_to_end(document, arguments.top_k, arguments.prune)
        del document
        print(json.dumps(figures, indent=1), flush=True)
    slope_sizes = [int(s) for s in arguments.slope_sizes.split(",") if s.strip()]
    if slope_sizes:
        same_shape = n_mentors == max(1, arguments.mentees // arguments.capacity)
        modes = [False, True] if arguments.compare_prune else [arguments.prune]
        for mode in modes:
            label = "pruned" if mode else "every_pair"
            earlier = figures.get("scoring_modes", {}).get(label)
            measured = {arguments.mentees: earlier} if earlier and same_shape else {}
            figures.setdefault("scoring_growth", {})[label] = scoring_growth(
                slope_sizes, arguments.seed, arguments.top_k, arguments.capacity, measured, prune=mode)
        print(json.dumps({"scoring_growth": figures["scoring_growth"]}, indent=1), flush=True)
    if arguments.dense_check:
        figures["dense_check"] = dense_check(arguments.dense_check, arguments.seed, arguments.top_k,
                                             arguments.capacity)
        print(json.dumps({"dense_check": figures["dense_check"]}, indent=1), flush=True)
    package_runs = []
    for size in [int(s) for s in arguments.package_sizes.split(",") if s.strip()]:
        run = package_check(size, arguments.seed, arguments.top_k, arguments.capacity, arguments.package_budget)
        package_runs.append(run)
        print(json.dumps({"matching_package": run}), flush=True)
        if not run["finished"]:
            break
    figures["matching_package"] = package_runs
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
