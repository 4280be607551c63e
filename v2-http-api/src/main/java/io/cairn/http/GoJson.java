package io.cairn.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON written the way Go's encoding/json writes it (spec 1.8): {@code <}, {@code >}, {@code &},
 * U+2028 and U+2029 escaped as {@code \u003c} etc., other non-ASCII raw UTF-8, fields in the order
 * the caller writes them.
 */
final class GoJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private static final CharacterEscapes GO_ESCAPES = new CharacterEscapes() {
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            // Go writes newline, return and tab in short form, every other control character
            // and <, >, & as lower-case hex escapes (Jackson would use short forms and upper case).
            for (int c = 0; c < 0x20; c++) {
                if (c != '\n' && c != '\r' && c != '\t') {
                    ascii[c] = CharacterEscapes.ESCAPE_CUSTOM;
                }
            }
            ascii['<'] = CharacterEscapes.ESCAPE_CUSTOM;
            ascii['>'] = CharacterEscapes.ESCAPE_CUSTOM;
            ascii['&'] = CharacterEscapes.ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch < 0x80 || ch == 0x2028 || ch == 0x2029) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    };

    private GoJson() {
    }

    /** Something that writes one JSON value. */
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /** Renders a JSON document, with a trailing newline when asked (spec 1.5). */
    static byte[] render(Body body, boolean newline) {
        // A character writer, not Jackson's UTF-8 generator: with custom escapes the latter would
        // escape supplementary characters (emoji) that Go writes raw.
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.setCharacterEscapes(GO_ESCAPES);
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (newline) {
            out.write('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
