package io.agentwire.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Iterator;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code agentwire.log.format}: {@code text} (the pattern of logback.xml) or {@code json} — one JSON object per line
 * (logback's {@link JsonEncoder}: {@code timestamp}, {@code level}, {@code threadName}, {@code loggerName},
 * {@code message}, {@code mdc} with {@code run_id}, {@code session_id} and {@code agent} on a run's lines,
 * {@code throwable}). Applied to the console appender when the server starts.
 */
enum LogFormat {
    TEXT, JSON;

    static final String KEY = ConfigLoader.ROOT + ".log.format";

    /** The configured format; a value other than text or json is a configuration error naming the key. */
    static LogFormat of(Config resolved) {
        String v;
        try {
            v = resolved.getString(KEY);
        } catch (ConfigException e) {
            throw new ConfigurationException(KEY + ": " + e.getMessage(), e);
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new ConfigurationException(KEY + ": must be text or json, was \"" + v + "\"");
        };
    }

    /** Switches the console appender's encoder to this format (a no-op when logback is not the SLF4J binding). */
    void apply() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) return;
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                boolean json = appender.getEncoder() instanceof JsonEncoder;
                if (json == (this == JSON)) continue;
                appender.stop();
                appender.setEncoder(encoder(context));
                appender.start();
            }
        }
    }

    private Encoder<ILoggingEvent> encoder(LoggerContext context) {
        if (this == JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.setContext(context);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setPattern(TEXT_PATTERN);
        text.setContext(context);
        text.start();
        return text;
    }

    /** The pattern of logback.xml's console appender. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{20} - %msg%n";
}
