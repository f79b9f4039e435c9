#!/usr/bin/python3
"""Step 3: train the 11 2-D sources and the 3-D CT model, two 1-thread processes in parallel.
Usage: /usr/bin/python3 tools/bank/train_all.py [seconds_2d=240] [seconds_3d=420]
Resumable: each model whose .cache/ckpt/<id>.json exists is skipped. Logs: .cache/logs/train_<id>.log"""
import os
import sys
import time

from common import CACHE, CKPT, MODEL3D, SOURCES
from parallel import run_all

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    s2 = sys.argv[1] if len(sys.argv) > 1 else '240'
    s3 = sys.argv[2] if len(sys.argv) > 2 else '420'
    logs = os.path.join(CACHE, 'logs')
    os.makedirs(logs, exist_ok=True)
    jobs = []
    if not os.path.exists(os.path.join(CKPT, MODEL3D + '.json')):
        jobs.append(('train_' + MODEL3D, ['/usr/bin/python3', os.path.join(HERE, 'train3d.py'), s3]))
    for t in SOURCES:
        if not os.path.exists(os.path.join(CKPT, t + '.json')):
            jobs.append(('train_' + t, ['/usr/bin/python3', os.path.join(HERE, 'train2d.py'), t, s2]))
    t0 = time.time()
    rc = run_all(jobs, 2, logs)
    print(f'train_all: {len(jobs)} jobs in {time.time() - t0:.0f}s', rc)
    sys.exit(1 if any(rc.values()) else 0)


if __name__ == '__main__':
    main()
