"""Run a list of shell-free commands, at most `workers` at a time (one thread each), logging to files."""
import os
import subprocess
import time


def run_all(jobs, workers=2, logdir=None):
    """jobs: list of (name, argv). Returns {name: returncode}."""
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', OPENBLAS_NUM_THREADS='1')
    pending = list(jobs)
    running = {}
    rc = {}
    while pending or running:
        while pending and len(running) < workers:
            name, argv = pending.pop(0)
            log = open(os.path.join(logdir, name + '.log'), 'a') if logdir else subprocess.DEVNULL
            running[name] = (subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env), time.time())
            print(time.strftime('%H:%M:%S'), 'start', name, flush=True)
        time.sleep(1)
        for name, (p, t0) in list(running.items()):
            if p.poll() is not None:
                rc[name] = p.returncode
                print(time.strftime('%H:%M:%S'), 'done', name, 'rc', p.returncode, f'{time.time() - t0:.0f}s', flush=True)
                del running[name]
    return rc
