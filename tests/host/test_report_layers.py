"""host/reportgen's shape: its layers (host/reportgen/__init__.py LAYERS)
import one way only, by name, each module exactly what it uses; and neither
it nor host/check-exact.py spells a variant's name (host/experiment.py's
Variant fields and REFERENCE say what a variant is)."""
import ast
import glob
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = os.path.join(os.path.dirname(os.path.dirname(HERE)), "host")
sys.path.insert(0, HOST)
import experiment  # noqa: E402
import reportgen  # noqa: E402

MODULES = sorted(glob.glob(os.path.join(HOST, "reportgen", "*.py")))
CHECKED = MODULES + [os.path.join(HOST, "check-exact.py"), os.path.join(HOST, "report.py")]
# the names the code before the layers spelled, none of them an ordinary
# word of the report's prose ("busy" is also a page's state, "none" a word)
OLD_NAMES = ("baseline", "coarse", "fine")


def tree(path):
    with open(path) as f:
        return ast.parse(f.read(), path)


def strings(t):
    """Every string constant but docstrings (the documentation may name
    variants), f-strings' literal parts included."""
    docs = {id(n.body[0].value) for n in ast.walk(t)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n for n in ast.walk(t)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def keyed_strings(t):
    """String constants used as a key: compared, subscripted, a dict key, a call's argument."""
    out = []
    for n in ast.walk(t):
        if isinstance(n, ast.Compare):
            out += [n.left] + n.comparators
        elif isinstance(n, ast.Subscript):
            out += [n.slice] + (list(n.slice.elts) if isinstance(n.slice, ast.Tuple) else [])
        elif isinstance(n, ast.Dict):
            out += [k for k in n.keys if k is not None]
        elif isinstance(n, ast.Call):
            out += n.args + [k.value for k in n.keywords]
    return [n for n in out if isinstance(n, ast.Constant) and isinstance(n.value, str)]


class Layers(unittest.TestCase):
    def test_every_module_has_a_layer(self):
        layered = {m for _, mods in reportgen.LAYERS for m in mods}
        present = {os.path.basename(p)[:-3] for p in MODULES} - {"__init__"}
        self.assertEqual(present, layered)

    def test_imports_point_one_way(self):
        level = {m: i for i, (_, mods) in enumerate(reportgen.LAYERS) for m in mods}
        for name, i in level.items():
            t = tree(os.path.join(HOST, "reportgen", name + ".py"))
            for n in ast.walk(t):
                if isinstance(n, ast.ImportFrom) and n.level == 1:
                    with self.subTest(module=name, imports=n.module):
                        self.assertLessEqual(level[n.module], i,
                                             f"{name} ({reportgen.LAYERS[i][0]}) imports {n.module} "
                                             f"({reportgen.LAYERS[level[n.module]][0]})")

    def test_no_star_import_and_every_import_used(self):
        for path in CHECKED:
            t = tree(path)
            used = {n.id for n in ast.walk(t) if isinstance(n, ast.Name)}
            for n in ast.walk(t):
                if not isinstance(n, (ast.Import, ast.ImportFrom)):
                    continue
                for a in n.names:
                    with self.subTest(file=os.path.basename(path), name=a.name):
                        self.assertNotEqual(a.name, "*")
                        if os.path.basename(path) != "__init__.py":
                            self.assertIn((a.asname or a.name).split(".")[0], used)


class NoVariantNames(unittest.TestCase):
    def test_no_old_names_in_strings(self):
        for path in CHECKED:
            for n in strings(tree(path)):
                for name in OLD_NAMES:
                    with self.subTest(file=os.path.basename(path), line=n.lineno, name=name):
                        self.assertNotRegex(n.value, rf"(?i)\b{name}\b")

    def test_no_variant_name_as_a_key(self):
        names = {v.name for v in experiment.VARIANTS}
        for path in CHECKED:
            for n in keyed_strings(tree(path)):
                with self.subTest(file=os.path.basename(path), line=n.lineno):
                    self.assertNotIn(n.value, names)


if __name__ == "__main__":
    unittest.main()
