package io.premiumbot.api.console;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.qute.TemplateData;

/**
 * A chart drawn as inline SVG by the server (no script, no library): stacked columns per day, or labelled horizontal
 * bars. Only geometry is computed here in floating point; every figure a chart prints is its exact text.
 */
public final class Chart {

    static final int WIDTH = 720;
    private static final int COLUMNS_HEIGHT = 220;
    private static final int LEFT = 52;
    private static final int RIGHT = 8;
    private static final int TOP = 8;
    private static final int BOTTOM = 24;
    private static final int LABELS = 190;
    private static final int ROW = 30;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("MM-dd");

    private Chart() {}

    /** One stacked series: its name in the legend, its colour, its value per day. */
    public record Series(String name, String color, Map<LocalDate, Long> values) {}

    @TemplateData
    public record Legend(String name, String color) {}

    @TemplateData
    public record Segment(double y, double height, String color, String title) {}

    @TemplateData
    public record Column(double x, double width, double center, String label, List<Segment> segments) {}

    @TemplateData
    public record Tick(double y, String label) {}

    @TemplateData
    public record Columns(
            String id,
            String title,
            int width,
            int height,
            double left,
            double right,
            double bottom,
            List<Column> columns,
            List<Tick> ticks,
            List<Legend> legend) {}

    @TemplateData
    public record Bar(String label, String value, double x, double width, double y, String color) {}

    @TemplateData
    public record Bars(String id, String title, int width, int height, double zero, List<Bar> bars) {}

    /** One horizontal bar: its label, its exact text, its size (any unit, the same for every bar of a chart). */
    public record Measure(String label, String value, long size, String color) {}

    /** Stacked columns per day; {@code scale} is the unit's decimals (6 for USDT micros, 0 for counts and Stars). */
    static Columns columns(String id, String title, List<LocalDate> days, List<Series> series, int scale) {
        long max = 0;
        for (LocalDate day : days) {
            long total = 0;
            for (Series s : series) {
                total += s.values().getOrDefault(day, 0L);
            }
            max = Math.max(max, total);
        }
        long top = niceCeiling(max, scale);
        double plot = COLUMNS_HEIGHT - TOP - BOTTOM;
        double step = (WIDTH - LEFT - RIGHT) / (double) days.size();
        int every = days.size() <= 7 ? 1 : days.size() <= 31 ? 5 : 15;
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            LocalDate day = days.get(i);
            double base = COLUMNS_HEIGHT - BOTTOM;
            List<Segment> segments = new ArrayList<>();
            for (Series s : series) {
                long value = s.values().getOrDefault(day, 0L);
                if (value == 0) {
                    continue;
                }
                double height = plot * value / top;
                base -= height;
                segments.add(new Segment(
                        round(base), round(height), s.color(), day + " · " + s.name() + ": " + text(value, scale)));
            }
            String label = (days.size() - 1 - i) % every == 0 ? DAY.format(day) : null;
            columns.add(new Column(
                    round(LEFT + i * step + step * 0.15),
                    round(step * 0.7),
                    round(LEFT + i * step + step / 2),
                    label,
                    segments));
        }
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            ticks.add(new Tick(round(COLUMNS_HEIGHT - BOTTOM - plot * i / 4), text(top * i / 4, scale)));
        }
        List<Legend> legend =
                series.stream().map(s -> new Legend(s.name(), s.color())).toList();
        return new Columns(
                id, title, WIDTH, COLUMNS_HEIGHT, LEFT, WIDTH - RIGHT, COLUMNS_HEIGHT - BOTTOM, columns, ticks, legend);
    }

    /** Labelled horizontal bars; negative sizes draw left of a zero line. */
    static Bars bars(String id, String title, List<Measure> measures) {
        long positive = 0;
        long negative = 0;
        for (Measure m : measures) {
            positive = Math.max(positive, m.size());
            negative = Math.max(negative, -m.size());
        }
        double span = WIDTH - LABELS - RIGHT - 150;
        long range = Math.max(1, positive + negative);
        double zero = LABELS + span * negative / range;
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < measures.size(); i++) {
            Measure m = measures.get(i);
            double width = span * Math.abs(m.size()) / range;
            double x = m.size() < 0 ? zero - width : zero;
            bars.add(new Bar(m.label(), m.value(), round(x), round(Math.max(width, 1)), i * ROW + 4, m.color()));
        }
        return new Bars(id, title, WIDTH, measures.size() * ROW + 8, round(zero), bars);
    }

    /** Four equal steps of 1, 2 or 5 × 10ⁿ units (at least one unit each) reaching {@code value}: round ticks. */
    static long niceCeiling(long value, int scale) {
        long power = BigDecimal.ONE.movePointRight(scale).longValueExact();
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (4 * m * power >= value) {
                    return 4 * m * power;
                }
            }
            power = Math.multiplyExact(power, 10);
        }
    }

    static String text(long value, int scale) {
        return BigDecimal.valueOf(value, scale).stripTrailingZeros().toPlainString();
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
