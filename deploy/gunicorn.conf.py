"""Gunicorn settings for one small server (read by deploy/coffee-web.service).

Processes rather than threads: a page is mostly Python (templates, the ORM), and threads
in one process share one interpreter lock, so on a 2-core server 4 processes of 2
threads served 50 members at p95 68 ms and 116 requests/s where 3 of 4 managed p95
180 ms at 107 (bench/load.py; README "Benchmarks"). The second thread lets a process
answer while another request streams a CSV export. Each process is about 110 MB at
peak (more while it previews a large round in the request). Override with
WEB_CONCURRENCY / WEB_THREADS in the environment."""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count(), 8)))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", 2))
# Previews of large rounds run in the worker, so no request should take this long.
timeout = 60
graceful_timeout = 30
# Recycle workers now and then, so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The proxy (Caddy) on the same machine sets X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = "127.0.0.1,::1"
