"""The committed REPORT.md as a reader meets it: short, the answer and its
limits on the first screen (issue: the report's first screen)."""
import os
import unittest

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


class CommittedReport(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(TOP, "REPORT.md")) as f:
            self.lines = f.read().splitlines()

    def test_at_most_300_lines(self):
        self.assertLessEqual(len(self.lines), 300)

    def test_answer_and_limits_first(self):
        first = self.lines[:25]
        self.assertTrue(any(l.startswith("**Answer:") or "**Answer:" in l for l in first), first)
        self.assertIn("Limits:", first)
        # the Answer section's last line (before the details link) is within 25 lines
        end = next(i for i, l in enumerate(self.lines) if l.startswith("Every table"))
        self.assertLessEqual(end - 1, 25, "the Answer section runs past the first screen")

    def test_details_linked_and_committed(self):
        link = next((l for l in self.lines[:30] if "details.md" in l), None)
        self.assertIsNotNone(link)
        self.assertTrue(os.path.isfile(os.path.join(TOP, "plots", "details.md")))

    def test_tables_name_a_command_that_reproduces_a_cell(self):
        # each brief table of measurements says how to get one of its cells
        # again, with programs and scripts that exist
        text = "\n".join(self.lines)
        for title in ("Hot path", "Workloads", "GUP throughput", "Unbind latency"):
            start = text.index(f"\n## {title}\n")
            body = text[start:text.find("\n## ", start + 1)]
            line = next((l for l in body.splitlines() if l.startswith("Reproduce one cell")), None)
            self.assertIsNotNone(line, title)
            self.assertIn("`make vm VARIANT=", line)
            for word in line.replace("'", " ").replace("`", " ").split():
                if word.startswith(("build/bin/", "bench/")) and not word.endswith(".ko"):
                    src = word.replace("build/bin/", "bench/") + ("" if word.endswith(".sh") else ".c")
                    self.assertTrue(os.path.isfile(os.path.join(TOP, src)), (title, word))


if __name__ == "__main__":
    unittest.main()
