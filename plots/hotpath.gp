# hotpath.gp: hot-path microbenchmark (group hotpath of samples.csv): median
# ns per get/put pair for each case, one bar per variant, p25..p75 error bars.
#
# Input (datafile, written by scripts/report.py as plotdata/hotpath.dat;
# whitespace separated, '#' comment header, NaN where a cell has no sample):
#   col 1              case, <op>:<memory>
#   cols 3i-1, 3i, 3i+1  median, p25, p75 of the i-th variant in `variants`
# Variables: datafile, outfile, term ("pngcairo", "png" or "svg"),
#   variants (space separated, default "baseline coarse fine").

if (!exists("variants")) variants = "baseline coarse fine"
set terminal @term size 1100,600
set termoption noenhanced
set output outfile
set object 1 rectangle from screen 0,0 to screen 1,1 behind fillcolor rgb "white" fillstyle solid noborder

set title "Hot path: ns per get/put pair (median, error bars p25-p75)"
set ylabel "ns/pair"
set yrange [0:*]
set grid ytics
set key top left
set style data histograms
set style histogram errorbars gap 2 lw 1
set style fill solid 0.7 border -1
set boxwidth 0.9
set xtics rotate by -30 scale 0

plot for [i=1:words(variants)] datafile \
     using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic(1) title word(variants, i)
