"""A jaeger_client reporter for `npm run demo` without a Jaeger: finished spans go to the demo as JSON.

The demo draws its waterfall from what the services hand it when no Jaeger runs; the Node services send their
spans over IPC, these send theirs over HTTP to the URL in DEMO_SPAN_SINK.
"""
import json
import queue
import threading
import urllib.request
from concurrent.futures import Future

from jaeger_client.reporter import BaseReporter


def _tag(span, key):
    for tag in span.tags:
        if tag.key == key:
            for value in (tag.vStr, tag.vBool, tag.vLong, tag.vDouble):
                if value is not None:
                    return value
    return None


def _failed(span):
    # As Jaeger v2's receiver marks a span it is handed (OpenTelemetry's rule for an HTTP status): the error tag,
    # or a status of 400 and up, but a 4xx on a server span (the Python clients tag only the status they got).
    try:
        status = int(_tag(span, 'http.status_code'))
    except (TypeError, ValueError):
        status = 0
    server_4xx = _tag(span, 'span.kind') == 'server' and 400 <= status < 500
    return _tag(span, 'error') is True or (status >= 400 and not server_4xx)


class SpanSinkReporter(BaseReporter):
    def __init__(self, sink_url, service_name):
        self._sink_url = sink_url
        self._service_name = service_name
        self._queue = queue.Queue()
        # One thread posts, so a request thread never waits on the demo.
        threading.Thread(target=self._post_forever, name='span-sink', daemon=True).start()

    def report_span(self, span):
        self._queue.put({
            'traceId': '{:016x}'.format(span.trace_id),
            'spanId': '{:016x}'.format(span.span_id),
            'parentId': '{:016x}'.format(span.parent_id) if span.parent_id else None,
            'service': self._service_name,
            'operation': span.operation_name,
            'startUs': int(span.start_time * 1_000_000),
            'durationUs': int((span.end_time - span.start_time) * 1_000_000),
            'error': _failed(span),
            'kind': _tag(span, 'span.kind'),
        })

    def _post_forever(self):
        while True:
            span = self._queue.get()
            try:
                request = urllib.request.Request(self._sink_url, data=json.dumps(span).encode(), headers={'content-type': 'application/json'})
                urllib.request.urlopen(request, timeout=2).close()
            except OSError:
                pass  # the demo is gone or not listening: its waterfall just lacks this span
            finally:
                self._queue.task_done()

    def close(self):
        self._queue.join()
        done = Future()
        done.set_result(None)
        return done
