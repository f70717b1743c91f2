# Teaching (issue 19): the question bank's page.
questions-title = Question bank
questions-link = Question bank
questions-lead = The school's questions for quizzes: single and multiple choice, true/false, short answer, numerical, matching, essay and description.
questions-import = Import from Moodle
questions-import-lead = A GIFT or Moodle XML file in UTF-8, up to 1 MB. When the file holds a question that cannot be saved, nothing is imported by default, as in Moodle; every refused question is named with its reason.
questions-import-file = File
questions-import-format = Format
questions-import-category = Category
questions-import-category-hint = Where the questions go until the file names a category; nested with "/". Leave it empty for "Default".
questions-import-skip = Import the valid questions and skip the others
questions-import-submit = Import
questions-import-no-file = Choose a file.
questions-imported-some = Questions imported: { $count }. Not imported:
questions-refused = Question { $number }: { $why }
questions-refused-named = Question { $number } ("{ $name }"): { $why }
questions-list = Questions
questions-none = The bank holds no questions yet.
questions-more = The first { $max } questions are shown; all of them through the API (GET /api/v1/questions).
questions-name = Name
questions-type = Type
questions-category = Category
questions-tags = Tags
questions-delete = Delete
question-type-description = Description
question-type-essay = Essay
question-type-multichoice = Multiple choice
question-type-truefalse = True/false
question-type-shortanswer = Short answer
question-type-numerical = Numerical
question-type-matching = Matching
flash-questions-imported = The questions were imported.
flash-question-deleted = The question was deleted.
questions-import-bad-format = Choose a format: GIFT or Moodle XML.

## Quizzes (issue 19, item 3)
lesson-kind-quiz = quiz
err-no-category = There is no such question category.
err-no-quiz = There is no such quiz.
err-no-attempt = There is no such attempt.
err-lesson-no-quiz = Only a quiz lesson has quiz settings.
err-quiz-one-source = Give either a list of questions or a random draw from a category, not both.
err-quiz-questions = Give the quiz's questions or a random draw from a category.
err-quiz-question-twice = This question is in the quiz already.
err-quiz-marks-random = Marks per question go with a list of questions; for a random draw give random.marks.
err-quiz-marks-unknown = Marks are set for a question the quiz does not ask.
err-quiz-complete-by-passing = A quiz is complete when it is passed, not by a button.
err-quiz-not-enough = The category has { $found } questions and the quiz draws { $count }.
err-quiz-empty = The quiz has no questions left: ask the teacher to add some.
err-no-attempts-left = No attempts are left: there were { $count }.
err-attempt-wait = The next attempt can start in { $minutes } min.
err-attempt-busy = An attempt was started in another tab: reload the page.
err-no-slot = The attempt has no such question.
err-answer-shape = This answer does not fit a question of type "{ $type }".
err-answer-choice = The question has no such choice, or it is given twice.
err-answer-one-choice = Only one choice can be given in this question.
err-answer-too-long = The answer is too long.
err-attempt-time-up = The attempt's time ran out: it was submitted with the answers saved before.
err-attempt-closed = The attempt is submitted: no more answers are taken.
err-attempt-in-progress = The attempt is not submitted yet: there is nothing to grade.
quiz-title = Quiz
quiz-attempts = Your attempts
quiz-attempt-number = No.
quiz-attempt-state = State
quiz-attempt-started = Started
quiz-attempt-score = Score
quiz-attempt-open = Open attempt
quiz-grade = Your grade: { $grade }
quiz-passed = passed
quiz-not-passed = not passed yet
quiz-start = Start the quiz
quiz-continue = Continue the attempt
quiz-preview-note = Students see the quiz's rules, their attempts and the button to start here.
quiz-visitor-note = Enrol in the course to take the quiz.
quiz-rule-questions = { $count ->
    [one] { $count } question
   *[other] { $count } questions
}
quiz-rule-time = Time limit: { $minutes } min; the attempt is submitted when the time runs out.
quiz-rule-no-time = No time limit.
quiz-rule-attempts = Attempts allowed: { $count } (used: { $used }).
quiz-rule-any-attempts = Any number of attempts.
quiz-rule-grading-highest = The grade is your best attempt's.
quiz-rule-grading-average = The grade is the average of your attempts.
quiz-rule-grading-first = The grade is your first attempt's.
quiz-rule-grading-last = The grade is your last attempt's.
quiz-rule-pass = To pass: { $percent }%.
quiz-rule-delay = Between attempts: { $minutes } min.
attempt-state-in_progress = in progress
attempt-state-submitted = submitted, waiting for the teacher
attempt-state-graded = graded
quiz-attempt-title = attempt { $number }
quiz-deadline = Time runs out at { $at }.
quiz-autosaved = Answers saved.
quiz-autosave-failed = The answers could not be saved: check the connection; they stay in the form.
quiz-question = Question { $number }
quiz-marks = Marks: { $marks }
quiz-mark = Marks: { $mark }
quiz-true = True
quiz-false = False
quiz-your-answer = Your answer
quiz-choose = Choose…
quiz-save = Save answers
quiz-submit = Submit and finish
quiz-result = Result
quiz-waiting = A teacher will grade the written answers; the grade appears here then.
quiz-score = Score: { $score }
quiz-no-answer = no answer
quiz-right-answer = Right answer
quiz-comment = Teacher's comment
quiz-back = Back to the quiz
flash-attempt-closed = The attempt was already submitted: here is its result.
flash-answers-saved = Answers saved.
flash-attempt-submitted = The attempt is submitted.
quiz-settings = Quiz settings
field-quiz_source = Questions
quiz-source-fixed = Questions chosen from the bank
quiz-source-random = Questions drawn at random from a category
quiz-questions-hint = Tick the questions the quiz asks, in the order shown; marks left empty are the question's own. Import questions on the page
quiz-bank-empty = The bank has no questions yet: import a GIFT or Moodle XML file first.
quiz-in-quiz = In the quiz
quiz-question-marks = Marks
field-quiz_category = Category
field-quiz_count = Questions per attempt
field-quiz_random_marks = Marks of each drawn question
field-quiz_random_marks-hint = Empty: each question's own.
field-quiz_time_limit = Time limit, minutes
field-quiz_time_limit-hint = Empty or 0: no limit. When the time runs out, the attempt is submitted with the answers saved.
field-quiz_attempts = Attempts allowed
field-quiz_attempts-hint = Empty or 0: no limit.
field-quiz_grading = Grade over attempts
field-quiz_pass_percent = Grade to pass, %
field-quiz_pass_percent-hint = A passing grade completes the lesson; empty: any submitted attempt does.
field-quiz_delay = Minutes between attempts
field-quiz_shuffle = Shuffle the choices in each attempt
field-quiz_review_score = After submitting, the student sees the score
field-quiz_review_feedback = … the feedback
field-quiz_review_right = … the right answers
quiz-grading-highest = Best attempt
quiz-grading-average = Average of the attempts
quiz-grading-first = First attempt
quiz-grading-last = Last attempt
error-number = Give a whole number.
error-quiz-marks = Give the marks as a number, such as 1 or 0.5.
flash-quiz-added = The quiz is added: now choose its questions.
quiz-time-left = Time left:
quiz-attempts-title = Attempts
quiz-attempts-none = Nobody has taken the quiz yet.
quiz-attempts-link = Students' attempts and grading
quiz-grade-it = Grade
quiz-to-grade = to grade
quiz-student-answer = The student's answer
quiz-attempt-running = The attempt is under way: it can be graded once it is submitted.
quiz-grade-mark = Marks (out of { $marks })
quiz-save-grades = Save the grades
flash-attempt-graded = The grades are saved.
field-lesson_stop = A stop-lesson: the lessons after it open once the student completes it (passes its quiz)
courses-stop-lesson = stop-lesson
lesson-locked-stop = Opens when the stop-lesson «{ $lesson }» is complete.
lesson-stop-note = A stop-lesson: the next lessons open once you complete it.
quiz-student-gone = (a student no longer at the school)
quiz-attempts-more = The { $shown } most urgent of { $total } attempts are shown (those waiting first, then the newest); all of them through GET /api/v1/quizzes/…/attempts.
quiz-grades-refused = Some grades were not saved: see the questions marked below. Nothing was changed.
quiz-grade-mark-needed = Give the marks to save a comment.
quiz-grade-range = Give a number from 0 to { $marks }.
quiz-outcome-right = right
quiz-outcome-partial = partly right
quiz-outcome-wrong = wrong
flash-attempt-unchanged = Nothing changed.
quiz-answers-refused = Nothing was saved: an answer below does not fit its question. Correct it; the other answers of the form are saved with it.
quiz-autosave-signed-out = You are signed out: sign in again in another tab, then come back; the answers stay in this form.
quiz-time-warning = Time left:
quiz-autosave-refused = An answer was refused: press "Save answers" to see which.
quiz-grade-conflict = Someone else graded this question meanwhile: it shows their grade now. Give yours again if it should change.

## Assignments (issue 19, item 4)
lesson-kind-assignment = assignment
err-no-assignment = This is not an assignment.
err-no-submission = There is no such work.
err-submission-waiting = The work is sent and waits for review: you can answer again once it is returned for revision.
err-submission-accepted = The work is accepted already.
err-submission-not-waiting = The work does not wait for review: it was reviewed already, or the student has not answered since it was returned.
err-answer-empty = Write an answer or attach a file.
err-file-in-answer = This file is attached to an answer already.
err-assignment-complete-by-review = An assignment is complete when a teacher accepts the work, not by a button.
mail-assignment-grade = Grade: { $grade } of { $max }.
mail-assignment-submitted-subject = Your work for "{ $lesson }" is sent
mail-assignment-submitted-body =
    Hello, { $name }!

    Your work for the lesson "{ $lesson }" of the course "{ $course }" is sent for review. We will write when a teacher has reviewed it.

    The lesson: { $url }

    { $school }
mail-assignment-returned-subject = Your work for "{ $lesson }" is returned for revision
mail-assignment-returned-body =
    Hello, { $name }!

    A teacher returned your work for the lesson "{ $lesson }" of the course "{ $course }" for revision:

    { $details }Revise it and send it again: { $url }

    { $school }
mail-assignment-accepted-subject = Your work for "{ $lesson }" is accepted
mail-assignment-accepted-body =
    Hello, { $name }!

    A teacher accepted your work for the lesson "{ $lesson }" of the course "{ $course }".

    { $details }The lesson: { $url }

    { $school }
mail-assignment-comment-subject = A new comment on your work for "{ $lesson }"
mail-assignment-comment-body =
    Hello, { $name }!

    A teacher commented on your work for the lesson "{ $lesson }" of the course "{ $course }":

    { $details }Reply: { $url }

    { $school }
assignment-title = Assignment
assignment-status-new = Not sent yet
assignment-status-submitted = Sent, waiting for review
assignment-status-returned = Returned for revision
assignment-status-accepted = Accepted
assignment-status-all = All
assignment-grade = Grade
assignment-entry-answer = Answer
assignment-entry-comment = Comment
assignment-entry-returned = Returned for revision
assignment-entry-accepted = Accepted
assignment-answer = Your answer
assignment-answer-again = Your revised answer
assignment-text = Your answer's text
assignment-files = Files
assignment-files-hint = Up to 10 files; each uploads as soon as you pick it.
assignment-files-need-script = To attach files, turn JavaScript on; the answer's text can be sent without it.
assignment-file-remove = Remove
assignment-uploading = Uploading…
assignment-upload-failed = The file "{ $name }" did not upload: { $reason }
assignment-send = Send for review
assignment-comment = Comment
assignment-comment-send = Send the comment
assignment-preview-note = Here the student sends an answer and reads what the teacher says.
assignment-visitor-note = Sign in and enrol in the course to do the assignment.
submissions-title = Students' work
submissions-state = State
submissions-course = Course
submissions-all-courses = All courses
submissions-lesson = Lesson
submissions-sent = Sent
submissions-filter = Show
submissions-none = No work here.
submissions-review = Review
submissions-open = Open
submissions-next = Next →
submission-task = The assignment's text
submission-decide = Review
submission-decision = Decision
submission-accept = Accept
submission-return = Return for revision
submission-grade-label = Grade from 0 to { $max }
submission-comment-label = Comment to the student
submission-comment-hint = Required when the work is returned: say what to revise.
submission-send = Save the decision
submission-not-waiting-returned = The work is returned for revision: the student has not answered yet.
submission-not-waiting-accepted = The work is accepted.
submission-not-waiting-submitted = The work waits for review.
flash-answer-sent = Your answer is sent for review.
flash-comment-sent = The comment is sent.
flash-work-accepted = The work is accepted; the student was e-mailed.
flash-work-returned = The work is returned for revision; the student was e-mailed.
flash-work-not-waiting = The work no longer waits for review: someone else reviewed it. Here it is now.

## The gradebook (issue 19, item 5)
gradebook-title = Gradebook
gradebook-caption = Students and their grades in the course's quizzes and assignments
gradebook-student = Student
gradebook-email = E-mail
gradebook-course-grade = Course grade
gradebook-done = Lessons done
gradebook-completed = Course completed
gradebook-all-students = All students
gradebook-download = Download
gradebook-no-items = The course has no quizzes or assignments yet: nothing to grade.
gradebook-mine = My grades
grade-state-none = not started
grade-state-waiting = waiting for review
grade-state-returned = returned for revision
grade-state-failed = not passed
grade-state-passed = passed
err-gradebook-format = The format is json, csv or xlsx.

## Certificates (issue 19, item 6)
field-certificate = Students who complete the course get a certificate (every required lesson done, quizzes passed, assignments accepted)
certificate-title = Certificate
certificate-intro = This certifies that
certificate-completed = has successfully completed the course
certificate-date = Date
certificate-code = Verification code
certificate-verify = Verify
certificate-download = download the PDF
certificate-revoke = Revoke
certificate-revoked-short = revoked
certificates-title = Certificates
certificates-none = No certificates yet.
certificates-off = The course does not issue certificates: turn them on in the course's settings.
cert-check-title = Certificate check
cert-check-code = Code
cert-check-valid = The certificate is valid.
cert-check-revoked = The school revoked the certificate on { $at }: it no longer certifies anything.
cert-check-unknown = There is no certificate with this code. Check the code: it is printed on the certificate under the QR code.
cert-check-holder = Issued to
cert-check-course = Course
cert-check-school = School
cert-check-date = Date of issue
flash-certificate-revoked = The certificate is revoked.
err-no-certificate = There is no such certificate.
err-certificate-revoked = The certificate was revoked.
questions-export = Download the bank as Moodle XML
content-copy-suffix = (copy)
courses-duplicate = Duplicate
courses-copy = Copy the course
flash-lesson-duplicated = The lesson is duplicated: the copy follows it.
flash-course-copied = The course is copied: this is the copy, a draft.
err-too-many-uploads = { $max } files are picked and not sent yet: send the answer or remove some.
flash-answer-refused = The answer was not taken: the work is sent already, or accepted.
err-export-too-many = The export holds more than { $max } questions: export the categories one by one.

# The course builder (issue 19, item 1)
field-lesson_published = Published: students see the lesson (a draft is for the teachers only)
outline-hint = Drag a module or a lesson by its ⠿ handle, or press the handle, move it with the ↑ and ↓ keys and press it again (Esc puts it back). The ↑/↓ links do the same one step at a time.
outline-move = Move
outline-grabbed = Picked up; move with ↑ and ↓, press again to drop, Esc to cancel
outline-moved = Now at
outline-dropped = Saved in its new place
outline-cancelled = Put back where it was
outline-failed = The new order could not be saved: the page will reload.
lesson-status-draft = draft
courses-free-preview-badge = free preview
lesson-publish = Publish
lesson-unpublish = To drafts
flash-lesson-published = The lesson is published: students see it.
flash-lesson-unpublished = The lesson is a draft again: students no longer see it.
md-toolbar = Formatting
md-heading = Heading
md-bold = Bold
md-italic = Italic
md-ul = Bulleted list
md-ol = Numbered list
md-link = Link
md-quote = Quote
md-code = Code
md-table = Table
md-image = Image (or paste or drop one into the text)
md-uploading = Uploading
md-upload-failed = The image was not uploaded:
md-sample = text
md-table-sample = | Column | Column |\n| --- | --- |\n| cell | cell |
md-preview = Preview
md-preview-hint = as students will see it

# Questions and categories on the bank's pages (issue 19, item 2)
question-new-title = New question
question-edit-title = Question
question-format-markdown = Texts are written in Markdown.
question-format-html = Texts are written in HTML (as imported).
question-format-moodle = Texts are in Moodle's plain format (as imported).
question-format-plain = Texts are plain text.
question-field-text = Question text
question-field-category = Category (nested with "/"; made when missing)
question-field-tags = Tags, separated by commas
question-field-mark = Marks
question-field-feedback = General feedback (shown after answering, whatever the answer)
question-correct = The right answer
question-true = True
question-false = False
question-single = One answer only (radio buttons); otherwise several (checkboxes)
question-shuffle = Shuffle the answers in each attempt
question-case-sensitive = Letter case matters
question-answers-multichoice = Choices
question-answers-multichoice-hint = A choice worth 100% is needed; with several answers, the positive shares add up to 100% and wrong ones may take marks away. Empty rows are skipped.
question-answers-shortanswer = Accepted answers
question-answers-shortanswer-hint = An answer of 100% is needed; * matches any letters (\* is a star). Empty rows are skipped.
question-answers-numerical = Accepted numbers
question-answers-numerical-hint = An answer of 100% is needed; a number counts within its tolerance (3.14 ± 0.01). * accepts any number. Empty rows are skipped.
question-answer-n = Answer { $n }
question-tolerance = Tolerance ±
question-fraction = Share of the marks
question-answer-feedback = Feedback on this answer
question-pairs = Items and their answers
question-pairs-hint = At least two items with an answer; an answer with no item is a distractor. Empty rows are skipped.
question-pair-item = Item { $n }
question-pair-answer = Its answer { $n }
question-more-rows = Three more rows
question-save = Save the question
flash-question-saved = The question is saved.
flash-question-created = The question is added to the bank.
questions-new = New question
questions-new-type = Type
questions-new-submit = Write a question
questions-edit = Edit
questions-filter-category = Category
questions-filter-all = All categories
questions-filter-submit = Show
categories-title = Categories
categories-lead = Rename a category, move it under another (with its questions and subcategories), or delete an empty one.
categories-none = No categories yet: they appear with the first question or import.
categories-path = Category
categories-questions = Questions
categories-name = Name
categories-parent = Inside
categories-top = (the top)
categories-save = Save
categories-delete = Delete
flash-category-saved = The category is saved.
flash-category-deleted = The category is deleted.
question-correct-missing = Choose the right answer.
