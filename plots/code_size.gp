# code_size.gp: code size per variant (static.csv metric code_bytes: the sum
# of the nm -S sizes of vmlinux's text symbols, not size's padded text column),
# one bar per variant labelled with its delta vs baseline in bytes.  The y
# axis is cut just below the smallest value: the deltas are tiny next to the
# total, so bars from zero would all look the same.
#
# Input (datafile, written by host/report.py as plots/data/code_size.dat;
# whitespace separated, '#' comment header, NaN where a value is missing):
#   col 1 variant, col 2 code_bytes, col 3 delta_bytes (vs baseline)
# Variables: datafile, outfile, term ("pngcairo", "png" or "svg").

set terminal @term size 700,500
set termoption noenhanced
set output outfile
set object 1 rectangle from screen 0,0 to screen 1,1 behind fillcolor rgb "white" fillstyle solid noborder

stats datafile using 2 nooutput
span = (STATS_max - STATS_min) > 0 ? (STATS_max - STATS_min) : 1000
set yrange [STATS_min - span : STATS_max + span * 0.5]
set title "Code bytes per variant, sum of text symbol sizes (y axis does not start at 0)"
set ylabel "bytes"
set format y "%.0f"
set grid ytics
set style fill solid 0.7 border -1
set boxwidth 0.6
set xrange [-0.6:STATS_records - 0.4]
unset key

plot datafile using 0:2:xtic(1) with boxes lc rgb "#4477aa", \
     '' using 0:2:(valid(3) ? sprintf("%+.0f", $3) : "n/a") with labels offset 0,1
