"""The routes every Flask peer serves: /health, /hop?next=URL and /fail, and the demo's /chain/, /good/ and /error/."""
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
        return jsonify(
            service=peer_common.SERVICE,
            trace_id=current_trace_id(),
            trace_headers=peer_common.trace_header_names(request.headers),
            downstream=downstream,
        )

    @app.route('/fail')
    def fail():
        peer_common.fail()

    @app.route('/chain/')
    def chain():
        return jsonify(peer_common.relay('/chain/'))

    @app.route('/good/')
    def good():
        return jsonify(peer_common.relay('/good/'))

    @app.route('/error/')
    def error():
        return jsonify(peer_common.relay('/error/'))
