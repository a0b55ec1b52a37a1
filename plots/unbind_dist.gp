# unbind_dist.gp: every unbind latency sample (group unbind of samples.csv),
# per scenario and variant, as jittered points on a log y axis, so spread,
# outliers and bimodal runs stay visible.
#
# Input (datafile, written by host/report.py as plots/data/unbind_dist.dat;
# whitespace separated, '#' comment header):
#   col 1 scenario_idx (1..), col 2 variant_idx (1.. in `variants`),
#   col 3 x (scenario_idx + variant offset + jitter), col 4 value_ms,
#   col 5 scenario name, col 6 variant name
# Variables: datafile, outfile, term ("pngcairo", "png" or "svg"),
#   colors (one per variant, required: host/reportgen/gnuplot.py PALETTE),
#   variants (space separated, required: host/report.py passes the run's).

if (!exists("variants")) exit error "variants not set (host/report.py passes them)"
if (!exists("colors")) exit error "colors not set (host/report.py passes them)"
set terminal @term size 1000,600
set termoption noenhanced
set output outfile
set object 1 rectangle from screen 0,0 to screen 1,1 behind fillcolor rgb "white" fillstyle solid noborder

stats datafile using 1 nooutput
set xrange [0.5:STATS_max + 0.5]
set title "Unbind latency samples per scenario (log scale; HZ=250: 4 ms steps)"
set ylabel "unbind latency (ms)"
set logscale y
set grid ytics
set key top left
set xtics scale 0

# The last element only places one scenario label per sample at the
# scenario's integer x; its points are not drawn (size 0).
plot for [i=1:words(variants)] datafile \
       using ($2 == i ? $3 : NaN):4 with points pt 7 ps 0.8 lc rgb word(colors, i) title word(variants, i), \
     '' using 1:4:xtic(5) with points ps 0 notitle
