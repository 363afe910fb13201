/* Claim step 3: three selects choosing among the API's questions, each followed by the field
 * for its answer. A question chosen in one select is disabled in the other two. */
import { clear, h } from "./portal-dom.js";
import { field } from "./portal-fields.js";
import { answerField } from "./portal-form-parts.js";
import { t } from "./portal-messages.js";

const ROWS = 3;

/* One fieldset: "Question n", the select of questions, and a box for the answer's field. */
function questionRow(questions, index, chosenId) {
  const select = field({
    name: `question_${index + 1}`,
    label: t("choose_question"),
    placeholder: t("choose_question"),
    choices: questions.map((question) => ({ value: String(question.id), label: question.text })),
    value: chosenId ? String(chosenId) : "",
  });
  const answerBox = h("div", { className: "portal-answer" });
  const fieldset = h("fieldset", { className: "portal-question" }, [
    h("legend", { text: t("question", { n: index + 1 }) }),
    select.wrap,
    answerBox,
  ]);
  return { index, select: select.input, answerBox, fieldset, answer: null };
}

function chosenId(row) {
  return Number(row.select.value) || null;
}

/* The answer field for the row's question, filled with what was typed for it before. */
function showAnswer(row, byId, answers) {
  const id = chosenId(row);
  const answer = answerField(byId.get(id), `answer_${row.index + 1}`, id ? answers[id] : "");
  const keep = () => {
    if (id) {
      answers[id] = answer.input.value;
    }
  };
  answer.input.addEventListener("input", keep);
  answer.input.addEventListener("change", keep);
  clear(row.answerBox).appendChild(answer.wrap);
  row.answer = answer;
}

/* A question chosen in one row cannot be chosen in another. */
function disableTaken(rows) {
  for (const row of rows) {
    const options = Array.from(row.select.options).slice(1); // the first is the prompt
    for (const option of options) {
      option.disabled = rows.some(
        (other) => other !== row && other.select.value === option.value,
      );
    }
  }
}

/* The questions form. chosen: question ids from history; answers: {question id: text}, kept
 * up to date as the reader types; onChoose(ids) after each choice; onSubmit(answers). */
export function questionsForm(flow, { questions, chosen, answers, onChoose, onSubmit }) {
  const byId = new Map(questions.map((question) => [question.id, question]));
  const picked = chosen || [];
  const rows = [];
  for (let index = 0; index < ROWS; index += 1) {
    rows.push(questionRow(questions, index, picked[index]));
  }
  for (const row of rows) {
    showAnswer(row, byId, answers);
    row.select.addEventListener("change", () => {
      showAnswer(row, byId, answers);
      disableTaken(rows);
      onChoose(rows.map(chosenId));
    });
  }
  disableTaken(rows);
  const answered = (row) => ({
    question_id: Number(row.select.value),
    answer: row.answer.input.value,
  });
  const submit = () => onSubmit(rows.map(answered));
  const fieldsets = rows.map((row) => row.fieldset);
  return flow.form(fieldsets, t("save"), submit, { errorControl: rows[0].select });
}
