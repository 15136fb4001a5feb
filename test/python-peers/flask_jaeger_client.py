"""A Flask service traced with Python jaeger_client in the seed's style; flask_seed.py and flask_plain.py
start it with their own tracer settings."""
import logging

import opentracing
# seed_tracing first: it makes tornado 5 importable on this Python before jaeger_client needs it.
import seed_tracing
from seed_tracing import flask as flask_tracing
from seed_tracing.log_handler import ErrorTraceHandler

from flask import Flask
from opentracing_instrumentation.client_hooks.requests import install_patches

import peer_common
from flask_routes import add_routes


def serve(init_tracer, trace_config):
    """Traces a Flask app with `init_tracer(service, trace_config)` and serves it until SIGTERM."""
    # Before the tracer: its tornado loop (tornado.ioloop.IOLoop.start) calls logging.basicConfig() when the
    # root logger has no handler yet, which would make this call do nothing.
    logging.basicConfig(level=logging.INFO, format='%(name)s %(levelname)s %(message)s')
    logging.getLogger().addHandler(ErrorTraceHandler())

    tracer = init_tracer(peer_common.SERVICE, trace_config)
    # Outgoing `requests` calls get a client span and carry the trace in their headers.
    install_patches()

    app = Flask(__name__)
    flask_tracing.install(app, tracer)
    add_routes(app, lambda: seed_tracing.hex_trace_id(opentracing.global_tracer().active_span))

    peer_common.exit_on_sigterm(seed_tracing.close_tracer)
    peer_common.announce_when_listening(peer_common.PORT)
    app.run(host='127.0.0.1', port=peer_common.PORT, threaded=True)
