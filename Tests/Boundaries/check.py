"""Fails when the core depends on or names a feature module, or a module imports a module it does not declare."""
import json, os, re, sys

targets = {t['name']: t for t in json.load(open(sys.argv[1]))['targets']}
modules = sorted(n for n in os.listdir('Sources/Features') if os.path.isdir(f'Sources/Features/{n}'))
problems = []

def deps(name):
    return set(targets[name].get('target_dependencies', []))

def sources(folder):
    for root, _, files in os.walk(folder):
        for f in files:
            if f.endswith('.swift'): yield os.path.join(root, f)

if deps('ClinicBoxCore') & set(modules):
    problems.append(f"Package.swift: ClinicBoxCore depends on {sorted(deps('ClinicBoxCore') & set(modules))}")

# The types each module declares at its top level; the core must not name one.
declared = {}
for m in modules:
    for path in sources(f'Sources/Features/{m}'):
        for name in re.findall(r'^(?:public |package )?(?:final )?(?:struct|enum|class|protocol|actor) (\w+)', open(path).read(), re.M):
            declared[name] = m
pattern = re.compile(r'\b(' + '|'.join(sorted(declared)) + r')\b')
for path in sources('Sources/ClinicBoxCore'):
    for number, line in enumerate(open(path), 1):
        code = line.split('//')[0]
        if re.match(r'\s*import (' + '|'.join(modules) + r')\s*$', code):
            problems.append(f'{path}:{number}: the core imports a module: {line.strip()}')
        for hit in pattern.findall(code):
            problems.append(f'{path}:{number}: the core names {hit} of the {declared[hit]} module')

# Each module imports only the modules its target declares.
for m in modules:
    allowed = deps(m)
    for path in sources(f'Sources/Features/{m}'):
        for number, line in enumerate(open(path), 1):
            found = re.match(r'\s*(?:@testable )?import (\w+)\s*$', line)
            if found and found.group(1) in modules and found.group(1) not in allowed:
                problems.append(f'{path}:{number}: {m} imports {found.group(1)}, which Package.swift does not let it use')

if problems:
    print('\n'.join(problems), file=sys.stderr)
    sys.exit(1)
