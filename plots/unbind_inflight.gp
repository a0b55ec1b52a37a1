# unbind_inflight.gp: what an unbind takes beyond the time D a page reference
# is held in flight (group unbind, cases inflight=<D>): latency - D, median
# with p25..p75 error bars, one line per variant that ran these cases.  D is
# a category (evenly spaced, not to scale); 0 on the y axis means the unbind
# ended the moment the reference was dropped.  Under HZ=250 the unbind's
# wait and the holder's sleep end on 4 ms ticks, so spreads come in 4 ms steps.
#
# Input (datafile, written by host/report.py as plots/data/unbind_inflight.dat;
# whitespace separated, '#' comment header, NaN where a cell has no sample):
#   col 1 idx (x position), col 2 D_ms (the label)
#   cols 3i, 3i+1, 3i+2: median, p25, p75 of latency - D (ms) of the i-th
#   variant in `variants`
# Variables: datafile, outfile, term ("pngcairo", "png" or "svg"),
#   colors (one per variant, required: host/reportgen/gnuplot.py PALETTE),
#   variants (space separated, required: host/report.py passes those with data).

if (!exists("variants")) exit error "variants not set (host/report.py passes them)"
if (!exists("colors")) exit error "colors not set (host/report.py passes them)"
set terminal @term size 900,600
set termoption noenhanced
set output outfile
set object 1 rectangle from screen 0,0 to screen 1,1 behind fillcolor rgb "white" fillstyle solid noborder

set title "Unbind latency beyond the in-flight reference: latency - D\n(median, error bars p25-p75; HZ=250: 4 ms steps)"
set xlabel "D: page reference held for (ms; categories, not to scale)"
set ylabel "unbind latency - D (virtual ms)"
set yrange [0:*]
set grid
set key top left
set offsets 0.3, 0.3, 0, 0

# each variant its own colour (as in every plot), point type and dash
plot for [i=1:words(variants)] datafile \
       using ($1 + (i - (words(variants) + 1) / 2.0) * 0.06):(column(3*i)):(column(3*i+1)):(column(3*i+2)) \
       with yerrorlines lw 2 pt (4 + 2 * i) ps 1.3 dt i lc rgb word(colors, i) title word(variants, i), \
     '' using 1:(NaN):xtic(2) notitle
