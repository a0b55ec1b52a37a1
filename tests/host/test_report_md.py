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


if __name__ == "__main__":
    unittest.main()
