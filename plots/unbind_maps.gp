# unbind_maps.gp: unbind latency with N idle mappings (group unbind, cases
# maps=<N>), median with p25..p75 error bars, one line per variant, on a
# linear axis from 0.  N is a category (evenly spaced, not to scale).  A
# policy that waits for the mappings waits as long as they live: here the
# benchmark's holder unmaps holder_ms after the unbind starts.
#
# Input (datafile, written by host/report.py as plots/data/unbind_maps.dat;
# whitespace separated, '#' comment header, NaN where a cell has no sample):
#   col 1 idx (x position), col 2 N (the label)
#   cols 3i, 3i+1, 3i+2: median, p25, p75 ms of the i-th variant in `variants`
# Variables: datafile, outfile, term ("pngcairo", "png" or "svg"),
#   colors (one per variant, required: host/reportgen/gnuplot.py PALETTE),
#   variants (space separated, required), holder_ms (the holder's delay).

if (!exists("variants")) exit error "variants not set (host/report.py passes them)"
if (!exists("colors")) exit error "colors not set (host/report.py passes them)"
if (!exists("holder_ms")) holder_ms = "?"
set terminal @term size 900,600
set termoption noenhanced
set output outfile
set object 1 rectangle from screen 0,0 to screen 1,1 behind fillcolor rgb "white" fillstyle solid noborder

set title "Unbind latency with N idle mappings (the holder unmaps after ".holder_ms." ms)\n(median, error bars p25-p75; HZ=250: 4 ms steps)"
set xlabel "N: idle mappings of the device (categories, not to scale)"
set ylabel "unbind latency (virtual ms)"
set yrange [0:*]
set grid
set key top left
set offsets 0.3, 0.3, 0, 0

plot for [i=1:words(variants)] datafile \
       using ($1 + (i - (words(variants) + 1) / 2.0) * 0.06):(column(3*i)):(column(3*i+1)):(column(3*i+2)) \
       with yerrorlines lw 2 pt (4 + 2 * i) ps 1.3 dt i lc rgb word(colors, i) title word(variants, i), \
     '' using 1:(NaN):xtic(2) notitle
