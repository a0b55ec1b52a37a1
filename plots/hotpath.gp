# hotpath.gp: hot-path microbenchmark (group hotpath of samples.csv), per
# case (<op>:<memory>), one bar per plotted variant.
#
# mode "icount" (clock=icount: the values are exact instruction counts): each
#   bar is variant - baseline in instructions per get/put pair, labelled with
#   its value, so a +2 on get/put stays visible beside cells of hundreds of
#   instructions; error bars span the smallest to the largest difference of
#   any two samples (zero height when the cells are exact).  Baseline itself
#   is not plotted.
# mode "wall" (the noisy wall clock): each bar is the median ns per pair,
#   with p25..p75 error bars, one bar per variant including baseline.
#
# Input (datafile, written by host/report.py as plots/data/hotpath.dat;
# whitespace separated, '#' comment header, NaN where a cell has no sample):
#   col 1 idx (1..), col 2 case
#   cols 3i, 3i+1, 3i+2 of the i-th variant in `variants`:
#     icount: delta, lo, hi (variant - baseline); wall: median, p25, p75
#   icount: the last column, baseline's median, shown under each case for scale
# Variables: datafile, outfile, term ("pngcairo", "png" or "svg"),
#   colors (one per variant, required: host/reportgen/gnuplot.py PALETTE),
#   variants (space separated, required: host/report.py passes the run's),
#   mode ("icount" or "wall", default "wall").

if (!exists("variants")) exit error "variants not set (host/report.py passes them)"
if (!exists("colors")) exit error "colors not set (host/report.py passes them)"
if (!exists("mode")) mode = "wall"
set terminal @term size 1100,600
set termoption noenhanced
set output outfile
set object 1 rectangle from screen 0,0 to screen 1,1 behind fillcolor rgb "white" fillstyle solid noborder

set grid ytics
set key top left
set style fill solid 0.7 border -1
set xtics rotate by -30 scale 0

if (mode eq "icount") {
    n = words(variants)
    bw = 0.8 / n
    # x of variant i's bar in the row at idx x0
    xpos(x0, i) = x0 + (i - (n + 1) / 2.0) * bw
    stats datafile using 1 nooutput
    set xrange [0.4 : STATS_max + 0.6]
    set offsets 0, 0, graph 0.12, graph 0.08
    set boxwidth bw absolute
    set xzeroaxis lt -1 lw 1
    set title "Hot path (clock=icount): variant - baseline, exact instructions per get/put pair\nunlabelled bars are 0; [n]: baseline's own count"
    set ylabel "variant - baseline (instructions per pair)"
    plot for [i=1:n] datafile using (xpos($1, i)):(column(3*i)) with boxes lc rgb word(colors, i) title word(variants, i), \
         for [i=1:n] '' using (xpos($1, i)):(column(3*i)):(column(3*i+1)):(column(3*i+2)) \
             with yerrorbars lc rgb "black" ps 0 notitle, \
         for [i=1:n] '' using (xpos($1, i)):(column(3*i)):(abs(column(3*i)) < 0.005 ? "" : sprintf("%+.2f", column(3*i))) \
             with labels offset 0, char (1) notitle, \
         '' using 1:(0):xtic(sprintf("%s [%.0f]", strcol(2), column(3*n+3))) with points ps 0 notitle
} else {
    set title "Hot path: ns per get/put pair, noisy wall clock (median, error bars p25-p75)"
    set ylabel "ns/pair"
    set yrange [0:*]
    set style data histograms
    set style histogram errorbars gap 2 lw 1
    set boxwidth 0.9
    plot for [i=1:words(variants)] datafile \
         using (column(3*i)):(column(3*i+1)):(column(3*i+2)):xtic(2) title word(variants, i)
}
