#!/usr/bin/env python3
"""The anchor of the pattern benchmark (issue 4): the OASIS Python matcher, stix2-matcher, on Perisai's workload.

Write the workload first, then time the Python matcher on it:

    benchmarks/pattern-throughput.sh --write /tmp/pattern-work      # Perisai's figure, and the workload files
    pip install stix2-matcher                                       # needs PyPI
    benchmarks/pattern-anchor.py /tmp/pattern-work --patterns 20

The Python matcher takes one pattern and a list of observed-data per call, so it is called once per pattern with all
the observations, which is the same work Perisai does. A full run (10,000 patterns) would take hours, so --patterns
takes a deterministic sample (every k-th pattern) and the rate is reported per evaluation: sampled patterns x
observations / seconds. Compare evaluations_per_s with Perisai's evaluations_per_s_median.
"""
import argparse, json, os, sys, time

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workload", help="directory written by pattern-throughput.sh --write")
    ap.add_argument("--patterns", type=int, default=20, help="how many patterns to time (sampled evenly)")
    args = ap.parse_args()
    try:
        from stix2matcher.matcher import match
    except ImportError:
        sys.exit("stix2-matcher is not installed (pip install stix2-matcher); it is not packaged by Debian")
    with open(os.path.join(args.workload, "patterns.txt"), encoding="utf-8") as f:
        patterns = [line.rstrip("\n") for line in f if line.strip()]
    with open(os.path.join(args.workload, "observed-data.json"), encoding="utf-8") as f:
        observations = json.load(f)
    step = max(1, len(patterns) // args.patterns)
    sample = patterns[::step][:args.patterns]
    matched = 0
    start = time.perf_counter()
    for p in sample:
        if match(p, observations, stix_version="2.1"):
            matched += 1
    seconds = time.perf_counter() - start
    print(json.dumps({
        "patterns_timed": len(sample), "observations": len(observations), "seconds": round(seconds, 3),
        "evaluations_per_s": round(len(sample) * len(observations) / seconds), "patterns_matched": matched,
    }, indent=2))

if __name__ == "__main__":
    main()
