package org.pv3dfarm.worker.face;

/** What {@link PortraitPreparer} does when a picture holds several faces (none always fails). */
public enum FaceSelection {
    /** Exactly one face is expected: several fail with {@link FacePreparationException.Reason#SEVERAL_FACES}. */
    SINGLE,
    /** The face with the largest detection box is used. */
    LARGEST
}
