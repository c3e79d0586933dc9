package org.phrasebook.http;

import freemarker.template.DefaultObjectWrapper;
import freemarker.template.TemplateHashModel;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.Version;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;

/**
 * Shows a record to the templates as a hash of its components ({@code phrase.text}), read
 * through method handles found once per record class. FreeMarker's own bean wrapping
 * looks every access up reflectively, and the list page makes some 250 such reads.
 */
final class RecordObjectWrapper extends DefaultObjectWrapper {

    private static final MethodType READ = MethodType.methodType(Object.class, Object.class);
    private static final ClassValue<Map<String, MethodHandle>> COMPONENTS = new ClassValue<>() {
        @Override
        protected Map<String, MethodHandle> computeValue(Class<?> type) {
            Map<String, MethodHandle> accessors = new HashMap<>();
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            for (RecordComponent component : type.getRecordComponents()) {
                try {
                    // Typed (Object)Object once here, so that each read is an invokeExact.
                    accessors.put(component.getName(), lookup.unreflect(component.getAccessor()).asType(READ));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("Templates can only show public records: " + type.getName(), e);
                }
            }
            return Map.copyOf(accessors);
        }
    };

    RecordObjectWrapper(Version version) {
        super(version);
    }

    @Override
    protected TemplateModel handleUnknownType(Object object) throws TemplateModelException {
        if (object instanceof Record record) {
            return new RecordModel(record, COMPONENTS.get(record.getClass()));
        }
        return super.handleUnknownType(object);
    }

    private final class RecordModel implements TemplateHashModel {

        private final Record record;
        private final Map<String, MethodHandle> components;

        RecordModel(Record record, Map<String, MethodHandle> components) {
            this.record = record;
            this.components = components;
        }

        @Override
        public TemplateModel get(String key) throws TemplateModelException {
            MethodHandle accessor = components.get(key);
            if (accessor == null) {
                return null;
            }
            try {
                return wrap((Object) accessor.invokeExact((Object) record));
            } catch (Throwable e) {
                throw new TemplateModelException("Cannot read " + key + " of " + record.getClass().getSimpleName(), e);
            }
        }

        @Override
        public boolean isEmpty() {
            return components.isEmpty();
        }
    }
}
