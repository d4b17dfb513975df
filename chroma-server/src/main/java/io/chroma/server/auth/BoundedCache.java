package io.chroma.server.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small thread-safe LRU map. A lock around an access-ordered {@link LinkedHashMap} costs tens of nanoseconds,
 * far below a request's cost, and keeps eviction exact.
 */
final class BoundedCache<K, V> {
    private final int capacity;
    private final LinkedHashMap<K, V> map;

    BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(Math.min(capacity, 64) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > BoundedCache.this.capacity;
            }
        };
    }

    synchronized V get(K key) {
        return map.get(key);
    }

    synchronized void put(K key, V value) {
        map.put(key, value);
    }

    synchronized int size() {
        return map.size();
    }
}
