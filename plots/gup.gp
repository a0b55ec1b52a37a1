# gup.gp: GUP throughput (group gup of samples.csv) through CONFIG_GUP_TEST:
# pages/s (or, under clock=icount, instructions per page) for gup_fast and
# pin_fast on ordinary, devdax-4K and devdax-2M memory, one bar per variant,
# median with p25..p75 error bars, on a linear axis from 0.
#
# Input (datafile, written by host/report.py as plots/data/gup.dat;
# whitespace separated, '#' comment header, NaN where a cell has no sample):
#   col 1              case, <op>:<memory>
#   cols 3i-1, 3i, 3i+1  median, p25, p75 of the i-th variant in `variants`
# Variables: datafile, outfile, term ("pngcairo", "png" or "svg"),
#   colors (one per variant, required: host/reportgen/gnuplot.py PALETTE),
#   variants (space separated, required: host/report.py passes the run's),
#   unit (the values' unit, default "pages/s"; report.py passes
#   "instructions per page" for a clock=icount run).

if (!exists("variants")) exit error "variants not set (host/report.py passes them)"
if (!exists("colors")) exit error "colors not set (host/report.py passes them)"
if (!exists("unit")) unit = "pages/s"
set terminal @term size 1000,600
set termoption noenhanced
set output outfile
set object 1 rectangle from screen 0,0 to screen 1,1 behind fillcolor rgb "white" fillstyle solid noborder

set title (unit eq "pages/s" ? "GUP throughput" : "GUP cost").": ".unit." (median, error bars p25-p75)"
set ylabel unit
set yrange [0:*]
set grid ytics
set key top left
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set xtics rotate by -30 scale 0

plot for [i=1:words(variants)] datafile \
     using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic(1) lc rgb word(colors, i) title word(variants, i)
