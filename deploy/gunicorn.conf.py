"""Gunicorn settings for one small server (read by deploy/coffee-web.service).

Threads rather than more processes: most of a request is waiting on PostgreSQL, and each
extra process holds its own copy of the matching engine's libraries (numba, scipy),
about 150 MB. Override with WEB_CONCURRENCY / WEB_THREADS in the environment."""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() + 1, 4)))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", 4))
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
