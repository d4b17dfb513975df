package io.chroma.api.internal;

import io.chroma.api.InvalidArgumentException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "my_collection", "my-collection", "my.collection", "MyCollection123", "a1b", "256.1.1.1"})
    void validNames(String name) {
        assertThatCode(() -> Names.validateCollectionName(name, 63)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "a", "", "_abc", "-abc", ".abc", "abc_", "abc-", "abc.", "abc..def",
            "192.168.0.1", "127.0.0.1", "a+b+c", "ab+valid", "has space", "ünï"})
    void invalidNames(String name) {
        assertThatThrownBy(() -> Names.validateCollectionName(name, 63)).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void lengthLimitDependsOnTheApiSpoken() {
        String n63 = "a".repeat(63);
        String n64 = "a".repeat(64);
        assertThatCode(() -> Names.validateCollectionName(n63, 63)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Names.validateCollectionName(n64, 63)).hasMessageContaining("3-63");
        assertThatCode(() -> Names.validateCollectionName("a".repeat(512), 512)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Names.validateCollectionName("a".repeat(513), 512)).isInstanceOf(InvalidArgumentException.class);
    }
}
