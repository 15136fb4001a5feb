"""The routes every Flask peer serves: /health, /hop?next=URL and /fail."""
from flask import jsonify, request

import peer_common


def add_routes(app, current_trace_id):
    """`current_trace_id()` gives the trace id of the request's span as lower-case hex."""

    # The seed names a span after its view function, so these names are what Jaeger shows.
    @app.route('/health')
    def health():
        return 'ok'

    @app.route('/hop')
    def hop():
        next_url = request.args.get('next')
        downstream = peer_common.call_next(next_url) if next_url else None
        return jsonify(service=peer_common.SERVICE, trace_id=current_trace_id(), downstream=downstream)

    @app.route('/fail')
    def fail():
        peer_common.fail()
