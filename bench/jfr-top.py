#!/usr/bin/env python3
"""Aggregates `jfr print --events jdk.ExecutionSample --stack-depth 64 <file>` (stdin) into the top self frames,
self time by package, the innermost io.premiumbot frame and the callers of the top self frame."""
import collections
import re
import sys

samples = []
stack = None
for line in sys.stdin:
    line = line.rstrip()
    if line.startswith('jdk.ExecutionSample'):
        stack = []
    elif stack is not None and re.match(r'^\s+stackTrace = \[', line):
        pass
    elif stack is not None and re.match(r'^\s+\]', line):
        samples.append(stack)
        stack = None
    elif stack is not None and re.match(r'^[\w$.<>]+\(', line.strip()) and 'line:' in line:
        stack.append(line.strip().split('(')[0])

n = len(samples)
print(f'samples {n}')
if n == 0:
    sys.exit(0)


def pct(count):
    return f'{100.0 * count / n:5.1f}%'


def package(frame):
    parts = frame.split('.')
    klass = [i for i, p in enumerate(parts) if p[:1].isupper()]
    cut = klass[0] if klass else len(parts) - 1
    return '.'.join(parts[:min(cut, 3)])


top = collections.Counter(s[0] for s in samples if s)
print('top self frames:')
for frame, count in top.most_common(20):
    print(f'  {pct(count)} {frame}')
print('self by package:')
for pkg, count in collections.Counter(package(s[0]) for s in samples if s).most_common(15):
    print(f'  {pct(count)} {pkg}')
print('innermost io.premiumbot frame on the stack:')
inner = collections.Counter(next((f for f in s if f.startswith('io.premiumbot')), '(none)') for s in samples)
for frame, count in inner.most_common(15):
    print(f'  {pct(count)} {frame}')
print('anywhere on the stack (inclusive):')
inclusive = collections.Counter()
for s in samples:
    for frame in set(s):
        if frame.startswith(('io.premiumbot', 'org.hibernate.reactive.session', 'io.vertx.redis', 'io.vertx.pgclient',
                             'io.quarkus.hibernate', 'com.fasterxml.jackson.databind.ObjectMapper', 'org.jboss.logging')):
            inclusive[frame] += 1
for frame, count in inclusive.most_common(25):
    print(f'  {pct(count)} {frame}')
if top:
    first = top.most_common(1)[0][0]
    callers = collections.Counter(' < '.join(s[1:6]) for s in samples if s and s[0] == first)
    print(f'callers of the top self frame ({first}):')
    for chain, count in callers.most_common(5):
        print(f'  {count} × {chain}')
