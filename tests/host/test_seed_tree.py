"""host/lib.sh seed_tree: which built kernel a first build starts from
(host/build-kernel.sh).  Fake object trees: only .config and vmlinux."""
import os
import subprocess
import tempfile
import unittest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASE = ["CONFIG_A=y", "# CONFIG_B is not set"] + [f"CONFIG_X{i}=y" for i in range(30)]


def policy(name):
    return [f"CONFIG_DEVMAP_PIN_{p}=y" if p == name else f"# CONFIG_DEVMAP_PIN_{p} is not set"
            for p in ("COARSE", "FINE", "BUSY")]


class SeedTree(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.build = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def kernel(self, name, lines, built=True):
        d = os.path.join(self.build, "kernels", name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, ".config"), "w") as f:
            f.write("\n".join(lines) + "\n")
        if built:
            open(os.path.join(d, "vmlinux"), "w").close()
        return os.path.join(d, ".config")

    def seed(self, variant, config):
        r = subprocess.run(["bash", "-c", f'. "{TOP}/host/lib.sh"; seed_tree {variant} {config}'],
                           env=dict(os.environ, BUILD=self.build), capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.strip()

    def test_nearest_of_the_same_source(self):
        self.kernel("baseline", BASE)                       # pristine source: never a seed
        self.kernel("coarse", BASE + policy("COARSE"))
        self.kernel("fine", BASE + policy("FINE"))
        want = self.kernel("busy", BASE + policy("BUSY"), built=False)
        # coarse and fine are both 4 lines away: the first in matrix order
        self.assertEqual(self.seed("busy", want), "coarse")

    def test_none_when_too_far_or_unbuilt(self):
        self.kernel("coarse", BASE[:5] + policy("COARSE"))  # 27 lines away
        self.kernel("fine", BASE + policy("FINE"), built=False)
        want = self.kernel("busy", BASE + policy("BUSY"), built=False)
        self.assertEqual(self.seed("busy", want), "")


if __name__ == "__main__":
    unittest.main()
