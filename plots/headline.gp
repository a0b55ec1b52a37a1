# headline.gp: the answer in one figure: each variant's get/put cost beside
# its unbind latency.  Left: get/put pair - baseline in instructions (clock
# icount; ns on the wall clock), with the static key off, on, and on a
# device-dax page.  Right: unbind latency with nothing mapped and with the
# run's most idle mappings (maps_case), whose holder unmaps after holder_ms.
#
# Input (datafile, written by host/report.py as plots/data/headline.dat;
# whitespace separated, '#' comment header, NaN where a cell has no sample):
#   col 1 idx, col 2 variant, cols 3-5 key off / key on / device page,
#   col 6 unbind idle ms, col 7 unbind maps_case ms (medians)
# Variables: datafile, outfile, term ("pngcairo", "png" or "svg"),
#   colors (one per variant, required: host/reportgen/gnuplot.py PALETTE),
#   variants (space separated, required), unit (instructions, or ns on
#   the wall clock), maps_case, holder_ms (the
#   benchmark holder's delay before it unmaps).

if (!exists("variants")) exit error "variants not set (host/report.py passes them)"
if (!exists("colors")) exit error "colors not set (host/report.py passes them)"
if (!exists("maps_case")) maps_case = "maps=?"
if (!exists("holder_ms")) holder_ms = "?"
if (!exists("unit")) unit = "instructions"
set terminal @term size 1100,450
set termoption noenhanced
set output outfile
set object 1 rectangle from screen 0,0 to screen 1,1 behind fillcolor rgb "white" fillstyle solid noborder

n = words(variants)
bw = 0.25
stats datafile using 1 nooutput
set multiplot layout 1,2 title "Each policy: what get/put pays, and what unbind pays (medians)"
set style fill solid 0.7 border -1
set boxwidth bw absolute
set grid ytics
set xrange [0.4 : STATS_max + 0.6]
set xtics scale 0
set key top left

set title "get/put pair - baseline (".unit."; bars left to right:\nkey off, key on, device-dax page)"
set ylabel unit." per pair over baseline"
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
# variant i's bars only in its row (others NaN), in its colour; k: the case
plot for [i=1:n] for [k=0:2] datafile \
         using ($1 == i ? $1 + (k - 1) * bw : NaN):(column(3 + k)) \
         with boxes lc rgb word(colors, i) fillstyle solid (0.3 + 0.3 * k) notitle, \
     for [k=0:2] '' using ($1 + (k - 1) * bw):(column(3 + k)):(sprintf("%+.0f", column(3 + k))) \
         with labels offset 0, char 0.8 notitle, \
     '' using 1:(0):xtic(2) with points ps 0 notitle

# the white background is drawn once: again it would cover the left panel
unset object 1
set title "unbind latency (virtual ms; bars: idle, ".maps_case.",\nwhose holder unmaps after ".holder_ms." ms)"
set ylabel "virtual ms"
plot for [i=1:n] for [k=0:1] datafile \
         using ($1 == i ? $1 + (k - 0.5) * bw : NaN):(column(6 + k)) \
         with boxes lc rgb word(colors, i) fillstyle solid (0.35 + 0.45 * k) notitle, \
     for [k=0:1] '' using ($1 + (k - 0.5) * bw):(column(6 + k)):(sprintf("%.0f", column(6 + k))) \
         with labels offset 0, char 0.8 notitle, \
     '' using 1:(0):xtic(2) with points ps 0 notitle
unset multiplot
