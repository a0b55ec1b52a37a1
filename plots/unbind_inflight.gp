# unbind_inflight.gp: unbind latency against the time D a page reference is
# held in flight (group unbind, cases inflight=<D>): median with p25..p75
# error bars, one line per variant, log-log.  A dashed line marks y = D: a
# variant on or above it waited for the reference.  D = 0 cannot sit on a
# log axis, so the data file gives the x position to draw each D at.
#
# Input (datafile, written by host/report.py as plots/data/unbind_inflight.dat;
# whitespace separated, '#' comment header, NaN where a cell has no sample):
#   col 1 D_ms (the label), col 2 x_pos (where it is drawn)
#   cols 3i, 3i+1, 3i+2: median, p25, p75 ms of the i-th variant in `variants`
# Variables: datafile, outfile, term ("pngcairo", "png" or "svg"),
#   variants (space separated, required: host/report.py passes the run's).

if (!exists("variants")) exit error "variants not set (host/report.py passes them)"
set terminal @term size 900,600
set termoption noenhanced
set output outfile
set object 1 rectangle from screen 0,0 to screen 1,1 behind fillcolor rgb "white" fillstyle solid noborder

set title "Unbind latency vs in-flight duration D (median, error bars p25-p75)"
set xlabel "D: page reference held for (ms)"
set ylabel "unbind latency (ms)"
set logscale xy
set grid
set key top left
set offsets graph 0.05, graph 0.05, 0, 0

plot for [i=1:words(variants)] datafile \
       using 2:(column(3*i)):(column(3*i+1)):(column(3*i+2)):xtic(1) \
       with yerrorlines lw 2 pt 7 title word(variants, i), \
     '' using 2:($1 > 0 ? $1 : NaN) with lines dt 2 lc rgb "gray40" title "y = D"
